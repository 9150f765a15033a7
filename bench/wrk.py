"""Read phases through wrk (Debian's `wrk`), a load generator in C, where it is installed.

bench/load.py is one Python process: near 10,000 requests a second it is the limit, not the
server, and on two cores it takes half the machine from the server it measures. wrk costs a
fraction of that per request, so the baseline and the cached reads show what the server and
nginx can do. It runs for a time rather than a number of requests, and it counts statuses only
as "2xx or 3xx" and the rest, so signing, which must count every accepted POST, stays with
bench/load.py; every phase is read against the baseline taken by its own generator.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

# Each request accepts compressed answers, as every browser's does, and comes from a distinct
# client address (as load.get_from_many) when asked; one line of JSON at the end. Each of
# wrk's threads has its own Lua state, hence the thread's number.
SCRIPT = """
local many = %s
local thread_number = 0
local counter = 0
local threads = {}
function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
function request()
  if not many then return wrk.request() end
  counter = counter + 1
  local n = thread_number * 4194304 + counter
  local address = string.format(
    "10.%%d.%%d.%%d", math.floor(n / 65536) %% 256, math.floor(n / 256) %% 256, n %% 256)
  return wrk.format(nil, nil, {["X-Forwarded-For"] = address})
end
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "not_2xx_3xx": %%d, "socket_errors": %%d, '
    .. '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def run(url: str, seconds: float, connections: int, *, many: bool = True) -> dict:
    """GET `url` for `seconds` over `connections` keep-alive connections: a summary shaped as
    load.Result.summary()'s."""
    parts = urlsplit(url)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(SCRIPT % ("true" if many else "false"))
    duration = f"-d{max(1, round(seconds))}s"
    target = f"{parts.scheme}://{parts.netloc}{parts.path}"
    try:
        completed = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", duration, "--latency", "-s", script.name, target],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        Path(script.name).unlink()
    line = next(line for line in completed.stdout.splitlines() if line.startswith("{"))
    raw = json.loads(line)
    good = raw["requests"] - raw["not_2xx_3xx"]
    return {
        "requests": raw["requests"],
        "per_second": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "statuses": {"2xx/3xx": good, "other": raw["not_2xx_3xx"]},
        "errors": raw["socket_errors"],
        "client": "wrk",
    }
