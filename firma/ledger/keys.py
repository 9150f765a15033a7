"""The site's Ed25519 key that signs tree heads: from LEDGER_SIGNING_KEY (64 hex digits of
the private key, or a PEM) or, without it, generated once into LEDGER_KEY_FILE."""

import json
import os
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

# What a head's signature covers: this prefix, then the head's canonical JSON (see head_message).
HEAD_PREFIX = b"firma-ledger-head:v1\n"


def canonical(value: dict) -> bytes:
    """The one byte form of a JSON object that is hashed or signed (ASCII, sorted, compact)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def head_message(log_id: str, size: int, count: int, root: bytes, timestamp: int) -> bytes:
    fields = {
        "ledger": log_id,
        "size": size,
        "count": count,
        "root": root.hex(),
        "timestamp": timestamp,
    }
    return HEAD_PREFIX + canonical(fields)


def parse(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("LEDGER_SIGNING_KEY is not an Ed25519 key.")
        return key
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(text))


def generate(path: Path) -> Ed25519PrivateKey:
    """Create the key file, unless another process just did: then read that one."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return parse(path.read_text())
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return key


@cache
def load(configured: str, path: str) -> Ed25519PrivateKey:
    if configured:
        return parse(configured)
    file = Path(path)
    return parse(file.read_text()) if file.exists() else generate(file)


def private_key() -> Ed25519PrivateKey:
    return load(settings.LEDGER_SIGNING_KEY, str(settings.LEDGER_KEY_FILE))


def public_key() -> bytes:
    """The raw 32 bytes of the public half, as published."""
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def sign(message: bytes) -> bytes:
    return private_key().sign(message)
