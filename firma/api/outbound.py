"""The HTTP request of one webhook delivery: to the address that was checked, within a deadline.

The receiver's name is looked up once; the addresses found are checked and the connection goes
to one of them, so a second lookup cannot point the request somewhere else (DNS rebinding to
loopback or a private network). TLS still checks the certificate against the name. The whole
attempt (lookup, connecting, sending, reading the answer) has one deadline: a receiver that
answers a byte at a time cannot hold the webhook worker for longer.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as LookupTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

# The start of a 2xx answer kept for the delivery log; of any other answer only its status line.
EXCERPT_BYTES = 2000
EXCERPT_CHARS = 500


class Refused(Exception):
    """The webhook's address may not be reached: asking again will not help."""


class DeadlinePassed(OSError):
    """The attempt took longer than WEBHOOK_TIMEOUT in all."""


@dataclass(frozen=True)
class Answer:
    code: int
    text: str  # the status line, and for a 2xx answer the start of its body


def resolve(host: str, port: int, seconds: float) -> list[str]:
    """The host's addresses, each checked; Refused if one is not public (unless allowed)."""
    pool = ThreadPoolExecutor(max_workers=1)
    lookup = pool.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    pool.shutdown(wait=False)  # a hung resolver must not hold the worker past the deadline
    try:
        found = lookup.result(timeout=seconds)
    except LookupTimeout:
        raise DeadlinePassed(f"looking up {host} took too long") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise Refused(f"{host} is not a public address.")
    return addresses


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to `address`, whatever `host` resolves to now; Host names `host`."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against `host`, not the address."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], seconds: float) -> Answer:
    """POST `body` to `url` within `seconds` in all. Raises Refused, or OSError (or an
    http.client error) for a network failure, a refused connection or the deadline."""
    started = time.monotonic()
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    addresses = resolve(parts.hostname or "", port, seconds)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = PinnedHTTPSConnection if secure else PinnedHTTPConnection
    error: OSError = OSError(f"{parts.hostname} has no address")
    for address in addresses:
        left = seconds - (time.monotonic() - started)
        if left <= 0:
            raise DeadlinePassed(f"no answer within {seconds:g} seconds")
        connection = kind(parts.hostname or "", port, address, timeout=left)
        try:
            connection.connect()
        except OSError as failure:
            error = failure
            connection.close()
            continue
        return exchange(connection, target, body, headers, seconds - (time.monotonic() - started))
    raise error


def exchange(
    connection: http.client.HTTPConnection,
    target: str,
    body: bytes,
    headers: dict[str, str],
    left: float,
) -> Answer:
    """Send and read on an open connection; at the deadline its socket is shut down, which
    ends a read in progress however slowly the receiver drips its answer."""
    passed = threading.Event()

    def cut() -> None:
        passed.set()
        with contextlib.suppress(OSError, AttributeError):  # closed already, or never opened
            connection.sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(left, 0), cut)
    timer.start()
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        start = response.read(EXCERPT_BYTES) if 200 <= response.status < 300 else b""
        if passed.is_set():
            # Cut short, an answer can look complete (http.client takes the end for the end of
            # the headers): it is not one.
            raise DeadlinePassed(f"no complete answer within {left:.3g} seconds")
        if not 200 <= response.status < 300:
            # Error pages often echo the request: only the status line is kept.
            return Answer(response.status, f"HTTP {response.status} {response.reason}"[:100])
        return Answer(response.status, start.decode("utf-8", "replace")[:EXCERPT_CHARS])
    except DeadlinePassed:
        raise
    except (OSError, http.client.HTTPException) as error:
        if passed.is_set():
            raise DeadlinePassed(f"no complete answer within {left:.3g} seconds") from error
        raise
    finally:
        timer.cancel()
        connection.close()
