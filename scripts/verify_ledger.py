#!/usr/bin/env python3
"""Check a firma petition's public signature ledger, from any firma site.

    python3 verify_ledger.py https://petitions.example.org/en/p/clean-water/
    python3 verify_ledger.py URL --save-head head.json       # keep today's head
    python3 verify_ledger.py URL --saved-head head.json      # later: nothing was rewritten
    python3 verify_ledger.py URL --proof my-proof.json       # a signer's own proof

It downloads every leaf and every signed tree head, checks each head's Ed25519 signature,
recomputes each head's root (RFC 9162 Merkle tree) and count of standing signatures from the
leaves, checks that the latest head counts what the petition shows, and that a head saved
earlier (or the head in a signer's proof) is consistent with today's ledger. It exits with 1
naming the first mismatch, 0 if all holds.

One file, needing only Python 3.11 and the `cryptography` package: copy it anywhere. firma's
`manage.py verify_ledger` imports it, so there is one verifier.
"""

import argparse
import hashlib
import json
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HEAD_PREFIX = b"firma-ledger-head:v1\n"
PAGE = 1000
EVENTS = {"confirmed", "invalidated", "restored", "erased"}

Fetch = Callable[[str], bytes]


class Mismatch(Exception):
    """What does not hold, said in a sentence."""


# RFC 9162 §2.1


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class Tree:
    """Leaf hashes appended one by one; the root at the current size at any moment."""

    def __init__(self) -> None:
        self.size = 0
        self.frontier: list[bytes] = []  # the perfect subtrees, largest first

    def append(self, leaf: bytes) -> None:
        node, level = leaf, 0
        while self.size >> level & 1:
            node = node_hash(self.frontier.pop(), node)
            level += 1
        self.frontier.append(node)
        self.size += 1

    def root(self) -> bytes:
        if not self.frontier:
            return hashlib.sha256(b"").digest()
        found = self.frontier[-1]
        for left in reversed(self.frontier[:-1]):
            found = node_hash(left, found)
        return found


def verify_inclusion(index: int, size: int, leaf: bytes, path: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2; an empty first tree is consistent with any."""
    if first > second:
        return False
    if first == 0:
        return not proof
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    if first & (first - 1) == 0:
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


# Heads and leaves


def canonical(value: dict) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def head_message(head: dict) -> bytes:
    fields = {name: head[name] for name in ("ledger", "size", "count", "root", "timestamp")}
    return HEAD_PREFIX + canonical(fields)


def check_signature(head: dict, key: Ed25519PublicKey, what: str) -> None:
    try:
        key.verify(bytes.fromhex(head["signature"]), head_message(head))
    except (InvalidSignature, ValueError, KeyError, TypeError) as error:
        raise Mismatch(f"{what} (size {head.get('size')}): its signature is not valid") from error


def describe(head: dict) -> str:
    return f"size {head['size']}, count {head['count']}, root {head['root']}"


class Replay:
    """The standing of every signature, from the leaves in order; refuses impossible steps."""

    def __init__(self) -> None:
        self.standing: dict[int, bool] = {}
        self.erased: set[int] = set()
        self.count = 0

    def apply(self, index: int, entry: dict) -> None:
        try:
            signature, event, standing = entry["signature"], entry["event"], entry["standing"]
        except (KeyError, TypeError) as error:
            raise Mismatch(f"leaf {index}: not a ledger entry") from error
        if event not in EVENTS:
            raise Mismatch(f"leaf {index}: unknown event {event!r}")
        known = signature in self.standing
        was = self.standing.get(signature, False)
        expected = {
            "confirmed": not known and standing,
            "invalidated": was and not standing,
            "restored": known and not was and standing and signature not in self.erased,
            "erased": known and signature not in self.erased and not standing,
        }[event]
        if not expected:
            raise Mismatch(
                f"leaf {index}: signature {signature} cannot be {event} "
                f"(it was {'standing' if was else 'not standing' if known else 'unknown'})"
            )
        if event == "erased":
            self.erased.add(signature)
        self.count += int(standing) - int(was)
        self.standing[signature] = standing


# Where the ledger is


def api_base(url: str) -> tuple[str, str]:
    """(the site's API root, the petition's slug) from a petition page or API address."""
    parts = urlsplit(url)
    site = f"{parts.scheme}://{parts.netloc}"
    found = re.search(r"^(.*?)/api/v1/petitions/([-\w]+)", parts.path)
    if not found:
        found = re.search(r"^(.*?)(?:/[a-z]{2,3}(?:-[a-z0-9]+)?)?/p/([-\w]+)", parts.path)
    if not found or parts.scheme not in ("http", "https"):
        raise Mismatch(f"{url} is not the address of a firma petition")
    return f"{site}{found.group(1)}/api/v1", found.group(2)


def fetch_url(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


class Site:
    def __init__(self, url: str, fetch: Fetch = fetch_url) -> None:
        self.api, self.slug = api_base(url)
        self.fetch = fetch

    def get(self, path: str) -> dict:
        url = f"{self.api}/{path}"
        try:
            return json.loads(self.fetch(url))
        except (urllib.error.URLError, ValueError, OSError) as error:
            raise Mismatch(f"could not read {url}: {error}") from error

    def petition(self, path: str = "") -> dict:
        return self.get(f"petitions/{self.slug}/{path}")

    def public_key(self) -> Ed25519PublicKey:
        data = self.get("ledger/public-key")
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(data["public_key"]))

    def heads(self) -> list[dict]:
        found, start = [], 0
        while start is not None:
            page = self.petition(f"ledger/heads?start={start}")
            found.extend(page["heads"])
            start = page["next_start"]
        return found

    def leaves(self, size: int) -> list[str]:
        found: list[str] = []
        while len(found) < size:
            start = len(found)
            end = min(size, start + PAGE)
            page = self.petition(f"ledger/leaves?start={start}&end={end}")["leaves"]
            for offset, leaf in enumerate(page):
                if leaf["index"] != start + offset:
                    raise Mismatch(
                        f"leaf {start + offset} is missing (the next one is {leaf['index']})"
                    )
            if not page:
                raise Mismatch(f"leaf {start} is missing (the ledger stops at {start} of {size})")
            found.extend(leaf["entry"] for leaf in page)
        return found


# The checks


def check_heads(heads: list[dict], leaves: list[str], key: Ed25519PublicKey, log: Callable) -> None:
    """Every head signed, and its root and count those of the leaves up to its size."""
    by_size: dict[int, list[dict]] = {}
    for head in heads:
        check_signature(head, key, "a head")
        by_size.setdefault(head["size"], []).append(head)
    ledger_ids = {head["ledger"] for head in heads}
    if len(ledger_ids) > 1:
        raise Mismatch(f"the heads name several ledgers: {sorted(ledger_ids)}")
    tree, replay = Tree(), Replay()

    def compare(size: int) -> None:
        for head in by_size.get(size, []):
            if head["root"] != tree.root().hex():
                raise Mismatch(
                    f"the signed head at size {size} does not match the leaves: a leaf before "
                    f"{size} was changed or removed (head root {head['root']}, leaves give "
                    f"{tree.root().hex()})"
                )
            if head["count"] != replay.count:
                raise Mismatch(
                    f"the signed head at size {size} counts {head['count']} signatures, "
                    f"its leaves {replay.count}"
                )

    compare(0)
    for index, entry in enumerate(leaves):
        try:
            data = json.loads(entry)
        except ValueError as error:
            raise Mismatch(f"leaf {index}: not JSON") from error
        if canonical(data) != entry.encode():
            raise Mismatch(f"leaf {index}: not in canonical form")
        replay.apply(index, data)
        tree.append(leaf_hash(entry.encode()))
        compare(tree.size)
    times = [head["timestamp"] for head in sorted(heads, key=lambda h: (h["size"], h["timestamp"]))]
    if times != sorted(times):
        raise Mismatch("a head with more leaves is older than one with fewer")
    log(f"{len(heads)} signed heads match the {len(leaves)} leaves")


def check_consistency(site: Site, old: dict, new: dict, key: Ed25519PublicKey, what: str) -> None:
    """`old` (saved earlier) is a prefix of `new`: nothing it covered was rewritten."""
    check_signature(old, key, what)
    if old["ledger"] != new["ledger"]:
        raise Mismatch(f"{what} is from another ledger ({old['ledger']})")
    if old["size"] > new["size"]:
        raise Mismatch(f"{what} has {old['size']} leaves, the latest head only {new['size']}")
    query = f"ledger/consistency?first={old['size']}&second={new['size']}"
    proof = [bytes.fromhex(h) for h in site.petition(query)["proof"]]
    if not verify_consistency(
        old["size"], new["size"], bytes.fromhex(old["root"]), bytes.fromhex(new["root"]), proof
    ):
        raise Mismatch(
            f"{what} ({describe(old)}) is not consistent with the latest head "
            f"({describe(new)}): the ledger was rewritten"
        )


def check_proof(proof: dict, leaves: list[str], key: Ed25519PublicKey, log: Callable) -> None:
    """A signer's proof: their leaf, tied to their address by the salt, under a signed head."""
    leaf = proof["leaf"]
    entry = json.loads(leaf["entry"])
    if entry["signature"] != proof["signature"]:
        raise Mismatch("the proof's leaf is about another signature")
    if proof.get("salt") and proof.get("email"):
        digest = hashlib.sha256(bytes.fromhex(proof["salt"]) + proof["email"].encode()).hexdigest()
        if digest != entry["digest"]:
            raise Mismatch("the proof's salt and address do not give the leaf's digest")
    head = proof.get("head")
    if not head:
        raise Mismatch("the proof has no signed head yet: download it again in a minute")
    check_signature(head, key, "the proof's head")
    path = [bytes.fromhex(h) for h in proof["inclusion"]]
    ok = verify_inclusion(
        leaf["index"],
        head["size"],
        leaf_hash(leaf["entry"].encode()),
        path,
        bytes.fromhex(head["root"]),
    )
    if not ok:
        raise Mismatch(f"the proof's leaf {leaf['index']} is not in its head ({describe(head)})")
    if leaf["index"] < len(leaves) and leaves[leaf["index"]] != leaf["entry"]:
        raise Mismatch(f"leaf {leaf['index']} of the ledger is no longer the proof's leaf")
    log(f"signature {proof['signature']} is leaf {leaf['index']}, under a head of {head['size']}")


def verify(
    url: str,
    saved_head: dict | None = None,
    proof: dict | None = None,
    fetch: Fetch = fetch_url,
    log: Callable[[str], None] = print,
    check_count: bool = True,
) -> dict:
    """Run every check; returns the latest head, raises Mismatch on the first failure."""
    site = Site(url, fetch)
    key = site.public_key()
    latest = site.petition("ledger/head")["head"]
    if not latest:
        raise Mismatch("the petition's ledger has no signed head yet")
    # Heads signed while this runs are left for the next run.
    heads = [head for head in site.heads() if head["timestamp"] <= latest["timestamp"]]
    if latest not in heads:
        raise Mismatch(f"the latest head ({describe(latest)}) is not among the heads listed")
    leaves = site.leaves(latest["size"])
    check_heads(heads, leaves, key, log)
    if check_count:
        shown = site.petition()["signature_count"]
        if shown != latest["count"]:
            raise Mismatch(
                f"the petition shows {shown} signatures but its latest signed head counts "
                f"{latest['count']} (a head lags changes by a minute at most: try again if "
                f"signatures are arriving)"
            )
        log(f"the count shown, {shown}, is the count in the latest head")
    if saved_head is not None:
        check_consistency(site, saved_head, latest, key, "the saved head")
        log(f"the saved head ({describe(saved_head)}) is consistent with the latest")
    if proof is not None:
        check_proof(proof, leaves, key, log)
        if proof["head"]["size"] <= latest["size"]:
            check_consistency(site, proof["head"], latest, key, "the proof's head")
    log(f"OK: {describe(latest)}")
    return latest


def read_json(path: str) -> dict:
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def main(argv: list[str] | None = None, fetch: Fetch = fetch_url) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the petition's page, or its API address")
    parser.add_argument("--saved-head", help="a head saved earlier (JSON) to check against")
    parser.add_argument("--save-head", help="write the latest head to this file")
    parser.add_argument("--proof", help="a signer's proof (JSON) to check")
    parser.add_argument(
        "--no-count", action="store_true", help="do not compare the count shown with the head"
    )
    args = parser.parse_args(argv)
    try:
        latest = verify(
            args.url,
            saved_head=read_json(args.saved_head) if args.saved_head else None,
            proof=read_json(args.proof) if args.proof else None,
            fetch=fetch,
            check_count=not args.no_count,
        )
    except (Mismatch, OSError, ValueError, KeyError) as error:
        print(f"MISMATCH: {error}", file=sys.stderr)
        return 1
    if args.save_head:
        with open(args.save_head, "w", encoding="utf-8") as file:
            json.dump(latest, file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
