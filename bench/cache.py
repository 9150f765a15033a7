"""nginx with deploy/nginx/firma.conf in front of the bench's server, as deploy/cluster writes
it (both of its app servers pointing at the one server bench/run.py started): the micro-cache's
phase reads the petition page through it, and the live count seen through it is timed."""

import json
import subprocess
import time
import urllib.request
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
# How long the count seen through the cache may lag the app's own: a few seconds.
COUNT_MAX_AGE = 5


def cluster_module():
    """deploy/cluster, a script without a .py, for its nginx configuration."""
    loader = SourceFileLoader("firma_cluster", str(ROOT / "deploy" / "cluster"))
    module = module_from_spec(spec_from_loader("firma_cluster", loader))
    loader.exec_module(module)
    return module


def start(port: int, app_port: int, work: Path) -> subprocess.Popen:
    cluster = cluster_module()
    run = work / "nginx-run"
    for folder in (run / "logs", run / "nginx" / "tmp", run / "nginx" / "cache"):
        folder.mkdir(parents=True, exist_ok=True)
    args = SimpleNamespace(port=port, app_ports=[app_port, app_port])
    cluster.write_nginx_conf(args, run, str(work / "static"))
    command = [cluster.NGINX, "-e", f"{run}/logs/nginx-error.log", "-p", f"{run}/nginx/"]
    command += ["-c", f"{run}/nginx/nginx.conf"]
    nginx = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and nginx.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=1)
            return nginx
        except OSError:
            time.sleep(0.2)
    nginx.terminate()
    raise SystemExit("nginx did not start: see " + f"{run}/logs/nginx-error.log")


def count(base: str, slug: str) -> tuple[int, str]:
    with urllib.request.urlopen(f"{base}/api/petitions/{slug}", timeout=5) as response:
        return json.load(response)["signature_count"], response.headers.get("X-Cache", "")


def seconds_until_seen(base: str, slug: str, expected: int, since: float) -> float | None:
    """Seconds from `since` (time.monotonic()) until the count through the cache shows
    `expected`; None if it does not within twice COUNT_MAX_AGE."""
    while time.monotonic() - since < 2 * COUNT_MAX_AGE:
        if count(base, slug)[0] == expected:
            return round(time.monotonic() - since, 2)
        time.sleep(0.05)
    return None
