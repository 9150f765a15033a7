"""firma as real processes on loopback, for tests that need more than the test client."""

import http.client
import os
import re
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings

from tests.conftest import free_port

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


@contextmanager
def firma_processes(tmp_path: Path, env: dict, servers: int = 1, worker: bool = False):
    """Migrate a fresh SQLite database with the demo petition, then run web servers (and the
    worker) on it; yields the servers' base URLs."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'firma.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "firma.settings",
        **env,
    }
    subprocess.run([*MANAGE, "migrate", "-v0"], env=env, check=True, timeout=120)
    subprocess.run([*MANAGE, "load_demo"], env=env, check=True, timeout=120, capture_output=True)
    ports = [free_port() for _ in range(servers)]
    commands = [[*MANAGE, "runserver", "--noreload", f"127.0.0.1:{port}"] for port in ports]
    if worker:
        commands.append([*MANAGE, "db_worker", "--no-reload", "--interval", "0.2"])
    logs = [tmp_path / f"process-{number}.log" for number in range(len(commands))]
    processes = []
    try:
        for command, log in zip(commands, logs, strict=True):
            with log.open("w") as output:
                processes.append(
                    subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
                )
        for port in ports:
            wait_until_up(port)
        yield [f"http://127.0.0.1:{port}" for port in ports], logs
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def wait_until_up(port: int) -> None:
    for _ in range(200):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


class Browser:
    """One person's browser: its own source address on loopback, its own cookies."""

    def __init__(self, base: str, source: str = "127.0.0.1") -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port, self.source = parts.hostname, parts.port, source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=30, source_address=(self.source, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        text = response.read().decode()
        connection.close()
        return response.status, text

    def form_token(self, path: str) -> str:
        """The CSRF token of the page's form; "" for the petition page, whose form has none."""
        _status, page = self.request("GET", path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return found.group(1) if found else ""
