"""A small HTTP/1.1 load generator: a fixed number of requests over keep-alive connections.

asyncio and raw streams keep its own cost per request to tens of microseconds, so that on a
small machine most of the CPU stays with the server being measured. Each request can differ
(a distinct e-mail, a distinct client address), which tools sending one fixed body cannot do.
"""

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

Request = Callable[[int], bytes]


@dataclass
class Result:
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def add(self, other: "Result") -> None:
        """Take in the requests of another run of the same kind."""
        self.requests += other.requests
        self.seconds += other.seconds
        self.statuses.update(other.statuses)
        self.latencies.extend(other.latencies)
        self.errors += other.errors

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    def summary(self) -> dict:
        return {
            "requests": self.requests,
            "per_second": round(self.requests / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(self.percentile(0.50), 2),
            "p95_ms": round(self.percentile(0.95), 2),
            "p99_ms": round(self.percentile(0.99), 2),
            "statuses": dict(sorted(self.statuses.items())),
            "errors": self.errors,
        }


def get(url: str, headers: dict | None = None) -> Request:
    parts = urlsplit(url)
    head = f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1\r\n"
    head += f"Host: {parts.netloc}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in (headers or {}).items()
    )
    raw = (head + "\r\n").encode()
    return lambda number: raw


def get_from_many(url: str) -> Request:
    """GETs from many readers: a distinct client address per request, forwarded as a trusted
    proxy forwards it, so that per-network rate limits see a crowd, as on a viral day."""
    parts = urlsplit(url)
    head = f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1\r\n"
    head += f"Host: {parts.netloc}\r\n"

    def build(number: int) -> bytes:
        address = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        return f"{head}X-Forwarded-For: {address}\r\n\r\n".encode()

    return build


def post_form(url: str, body: Callable[[int], str], headers: Callable[[int], dict]) -> Request:
    parts = urlsplit(url)

    def build(number: int) -> bytes:
        data = body(number).encode()
        lines = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{k}: {v}" for k, v in headers(number).items()]
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(data)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + data

    return build


async def connection_loop(host, port, request, numbers, result, pause, deadline) -> None:
    reader = writer = None
    for number in numbers:
        if time.monotonic() > deadline:
            return
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.monotonic()
            writer.write(request(number))
            status, keep_alive = await read_response(reader)
            result.latencies.append(time.monotonic() - started)
            result.statuses[status] += 1
            result.requests += 1
            if not keep_alive:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError):
            result.errors += 1
            writer = None
        if pause:
            await asyncio.sleep(pause)
    if writer is not None:
        writer.close()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection", "").lower() != "close"


def run(
    url: str,
    request: Request,
    total: int,
    connections: int,
    rate: float | None = None,
    first: int = 0,
    limit_seconds: float = 240,
) -> Result:
    """Send `total` requests over `connections` connections; `rate` paces them (per second)."""
    parts = urlsplit(url)
    result = Result()
    pause = connections / rate if rate else 0

    async def main() -> None:
        deadline = time.monotonic() + limit_seconds
        started = time.monotonic()
        loops = [
            connection_loop(
                parts.hostname,
                parts.port,
                request,
                range(first + index, first + total, connections),
                result,
                pause,
                deadline,
            )
            for index in range(connections)
        ]
        await asyncio.gather(*loops)
        result.seconds = time.monotonic() - started

    asyncio.run(main())
    return result
