"""Beyond one box, on loopback: deploy/cluster runs two app servers behind nginx and one worker,
on PostgreSQL and Redis. An app server killed with SIGKILL in the middle of a signing rush
loses no accepted signature, nginx sends what follows to the other one, every confirmation
e-mail is sent once, and the count shown stays exact.

Needs nginx (/usr/sbin/nginx) and PostgreSQL and Redis on 127.0.0.1; skipped without them,
unless REQUIRE_CLUSTER=1.
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings

from tests.conftest import Mailbox, SMTPServer, free_port
from tests.servers import Browser

SCRIPT = settings.BASE_DIR / "deploy" / "cluster"
NGINX = "/usr/sbin/nginx"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"
SLUG = "drop-the-charges"  # the demo petition, which the script loads into an empty database
PETITION = f"/en/p/{SLUG}/"
SIGNERS = 320
CLIENTS = 16
# Most signers write from a large provider, which the per-domain limit leaves alone.
PROVIDERS = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com", "gmx.de"]
FAILED = (OSError, http.client.HTTPException)


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


def unavailable() -> str | None:
    if not os.access(NGINX, os.X_OK):
        return f"no nginx at {NGINX} (apt-get install nginx, or `make nginx` as root)"
    if not (shutil.which("createdb") and shutil.which("psql")):
        return "no PostgreSQL client programs (apt-get install postgresql-client)"
    if not answers(5432):
        return "PostgreSQL does not answer on 127.0.0.1:5432"
    if not answers(6379):
        return "Redis does not answer on 127.0.0.1:6379"
    return None


@pytest.fixture
def database():
    """A database of this test's own, and its keys in Redis, both gone afterwards."""
    reason = unavailable()
    if reason:
        if os.environ.get("REQUIRE_CLUSTER") == "1":
            pytest.fail(f"REQUIRE_CLUSTER=1, but {reason}")
        pytest.skip(reason)
    name = f"firma_cluster_{secrets.token_hex(4)}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    yield name
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", name],
        check=True,
    )
    keys = redis.Redis.from_url(REDIS)
    for key in keys.scan_iter(match=f"{name}:*", count=1000):
        keys.delete(key)
    keys.close()


@dataclass
class Cluster:
    base: str
    run: Path
    app_ports: list[int]
    mailbox: Mailbox
    database: str

    def sql(self, query: str, *parameters) -> list[tuple]:
        with psycopg.connect(f"{POSTGRES}/{self.database}") as connection:
            return connection.execute(query, parameters).fetchall()


@pytest.fixture
def cluster(tmp_path, database):
    smtp = SMTPServer(Mailbox(), free_port())
    smtp.start()
    port, app_ports = free_port(), [free_port(), free_port()]
    run = tmp_path / "run"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    command = [str(SCRIPT), "--database", database, "--postgres", POSTGRES, "--redis", REDIS]
    command += ["--port", str(port), "--app-ports", ",".join(map(str, app_ports))]
    command += ["--workers", "1", "--threads", "4", "--run-dir", str(run)]
    with (tmp_path / "cluster.log").open("w") as log:
        script = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_ready(script, tmp_path / "cluster.log")
        yield Cluster(f"http://127.0.0.1:{port}", run, app_ports, smtp.mailbox, database)
    finally:
        script.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            script.wait(timeout=60)
        except subprocess.TimeoutExpired:
            for pid_file in run.glob("*.pid"):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(int(pid_file.read_text()), signal.SIGKILL)
            script.kill()
            script.wait()
        smtp.stop()
    assert "Stopped." in (tmp_path / "cluster.log").read_text()


def wait_until_ready(script: subprocess.Popen, log: Path) -> None:
    """Until the script says it runs, which it does once nginx answers with every server."""
    deadline = time.monotonic() + 150
    while "Ctrl-C stops everything" not in log.read_text():
        if script.poll() is not None or time.monotonic() > deadline:
            raise AssertionError("the cluster did not come up:\n" + log.read_text())
        time.sleep(0.2)


@dataclass
class Attempt:
    email: str
    started: float
    status: int | None  # None: the connection failed


class Rush:
    """Signers, each from an address of their own on loopback (which nginx passes on in
    X-Forwarded-For, so the rate limits see many people, as a real rush is); `halfway` is set
    once half of them have had their answer."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.done = 0
        self.lock = threading.Lock()
        self.halfway = threading.Event()

    def sign(self, number: int) -> Attempt:
        source = f"127.0.{1 + number // 250}.{1 + number % 250}"
        browser = Browser(self.base, source=source)
        email = f"signer{number}@{PROVIDERS[number % len(PROVIDERS)]}"
        data = {
            "csrfmiddlewaretoken": browser.form_token(PETITION),
            "full_name": f"Cluster Signer {number}",
            "organization": "Union",
            "country": ["AR", "CL", "UY"][number % 3],
            "email": email,
            "public": "on",
        }
        started = time.monotonic()
        try:
            status = browser.request("POST", PETITION + "sign/", data)[0]
        except FAILED:
            status = None
        with self.lock:
            self.done += 1
            if self.done == SIGNERS // 2:
                self.halfway.set()
        return Attempt(email, started, status)


def kill_app_server(cluster: Cluster, number: int) -> float:
    """SIGKILL to the whole server (granian's processes); returns when its port is closed."""
    os.killpg(int((cluster.run / f"app-{number}.pid").read_text()), signal.SIGKILL)
    port = cluster.app_ports[number - 1]
    while answers(port):
        time.sleep(0.01)
    return time.monotonic()


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def confirm(base: str, message) -> int:
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://[^/]+(/\S+/confirm/\S+/)", text).group(1)
    browser = Browser(base)
    return browser.request("POST", link, {"csrfmiddlewaretoken": browser.form_token(link)})[0]


def api_counts(base: str) -> tuple[int, dict]:
    api = json.load(urllib.request.urlopen(f"{base}/api/petitions/{SLUG}"))
    return api["signature_count"], api["signatures_by_country"]


def test_an_app_server_killed_under_load_loses_nothing(cluster):
    rush = Rush(cluster.base)
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(rush.sign, number) for number in range(SIGNERS)]
        assert rush.halfway.wait(timeout=120)
        killed = kill_app_server(cluster, 1)
        attempts = [future.result() for future in futures]

    # Both servers took signatures before one of them died.
    log = (cluster.run / "logs" / "firma-access.log").read_text()
    for port in cluster.app_ports:
        assert re.search(rf'"POST {PETITION}sign/ .* upstream=127\.0\.0\.1:{port} status=302', log)

    # Only the POSTs the dead server had in hand failed, with a 502 or a broken connection;
    # nginx sent every later one to the other server, which accepted it.
    accepted = {attempt.email for attempt in attempts if attempt.status == 302}
    failed = {attempt.email for attempt in attempts if attempt.status != 302}
    assert {attempt.status for attempt in attempts} <= {302, 502, None}
    assert len(failed) <= CLIENTS
    later = [attempt for attempt in attempts if attempt.started > killed]
    assert len(later) >= SIGNERS // 4
    assert all(attempt.status == 302 for attempt in later)

    # Every accepted signature is stored, once; a failed one may have been stored before its
    # server died.
    rows = cluster.sql(
        "SELECT s.email FROM petitions_signature s JOIN petitions_petition p "
        "ON p.id = s.petition_id WHERE p.slug = %s",
        SLUG,
    )
    stored = [email for (email,) in rows]
    assert len(stored) == len(set(stored))
    assert accepted <= set(stored) <= accepted | failed

    # Each stored signature gets its confirmation e-mail, exactly once.
    mailbox = cluster.mailbox
    wait_for(lambda: len(mailbox.messages) >= len(stored), 90)
    time.sleep(1)  # anything sent twice would have arrived by now
    sent = Counter(message["To"] for message in mailbox.messages)
    assert sent == Counter(stored)

    # Confirmed through the links, through nginx, the count shown equals a recount once the
    # counting interval (a fold a second, counts cached for a second) has passed.
    with ThreadPoolExecutor(CLIENTS) as pool:
        confirmed = list(pool.map(lambda message: confirm(cluster.base, message), mailbox.messages))
    assert confirmed == [302] * len(stored)
    recount = dict(
        cluster.sql(
            "SELECT s.country, COUNT(*) FROM petitions_signature s JOIN petitions_petition p "
            "ON p.id = s.petition_id WHERE p.slug = %s AND s.status = 'confirmed' "
            "AND s.invalidation_id IS NULL GROUP BY s.country",
            SLUG,
        )
    )
    assert sum(recount.values()) == len(stored)
    wait_for(lambda: api_counts(cluster.base) == (len(stored), recount), 5)
    assert api_counts(cluster.base) == (len(stored), recount)

    for name in ("app-2", "worker"):
        assert "Traceback" not in (cluster.run / "logs" / f"{name}.log").read_text()
