"""Health checks: /health/live answers without the database, /health/ready checks everything."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError

from firma.core.clients import trusted_proxies
from tests.conftest import free_port, run_worker, sign
from tests.environment import CLEARED, run
from tests.servers import copy_demo_database

pytestmark = pytest.mark.django_db


def test_live_needs_nothing_but_the_process(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.text == "ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_ready_reports_each_part(client, petition):
    sign(client, petition)
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "tasks": 1}


def test_ready_fails_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("error")
    assert response.json()["database"] == "ok"


def test_ready_fails_when_the_database_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr("firma.core.health.check_database", broken)
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


@pytest.mark.django_db
def test_the_backlog_drains(client, petition, mailbox):
    for number in range(3):
        sign(client, petition, email=f"s{number}@example.org")
    assert client.get("/health/ready").json()["tasks"] == 3
    run_worker()
    assert client.get("/health/ready").json()["tasks"] == 0


PRODUCTION = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "ALLOWED_HOSTS": ["petitions.example.org"],
}


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "10.0.0.7"])
@pytest.mark.parametrize("path", ["/health/live", "/health/ready"])
def test_probes_from_loopback_or_a_trusted_proxy_pass_whatever_their_host(
    client, settings, address, path
):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    trusted_proxies.cache_clear()
    try:
        for host in ("10.0.0.3:8001", "127.0.0.1:8001", "petitions.example.org", "evil.example"):
            response = client.get(path, HTTP_HOST=host, REMOTE_ADDR=address)
            assert response.status_code == 200, (host, response.status_code)
            assert "no-cache" in response["Cache-Control"]
    finally:
        trusted_proxies.cache_clear()


def test_other_probes_are_treated_like_any_request(client, settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/health/live", HTTP_HOST="10.0.0.3:8001", **outside).status_code == 400
    assert (
        client.get("/health/live", HTTP_HOST="petitions.example.org", **outside).status_code == 301
    )
    # A forged X-Forwarded-For from outside does not make a probe.
    forged = client.get(
        "/health/live", HTTP_HOST="10.0.0.3", HTTP_X_FORWARDED_FOR="127.0.0.1", **outside
    )
    assert forged.status_code == 400


# A process test (granian and manage.py as processes, on a copy of the demo database).
@pytest.mark.processes
def test_the_documented_probe_works_on_a_production_server(tmp_path):
    """docs/deploy.md's `curl -fs http://127.0.0.1:8001/health/live`, against granian with
    DEBUG=0 and BEHIND_TLS_PROXY=1 and a public host name in ALLOWED_HOSTS."""
    port = free_port()
    env = {
        "SECRET_KEY": "probe-" + "k" * 50,
        "DEBUG": "0",
        "BEHIND_TLS_PROXY": "1",
        "ALLOWED_HOSTS": "petitions.example.org",
        "BASE_URL": "https://petitions.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'firma.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    copy_demo_database(tmp_path / "firma.sqlite3")
    assert run(env, "manage.py", "migrate", "-v0").returncode == 0
    environment = {key: value for key, value in os.environ.items() if key not in CLEARED}
    environment.update(env, DJANGO_SETTINGS_MODULE="firma.settings")
    granian = Path(sys.executable).parent / "granian"
    server = subprocess.Popen(
        [granian, "--interface", "wsgi", "--port", str(port), "--no-ws", "firma.wsgi:application"],
        env=environment,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        probe = f"until curl -fs http://127.0.0.1:{port}/health/live; do sleep 0.2; done"
        result = subprocess.run(["sh", "-c", probe], capture_output=True, text=True, timeout=60)
        assert result.stdout == "ok\n"
        status = subprocess.run(
            [
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                f"http://127.0.0.1:{port}/health/ready",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert status.stdout == "200"
        # The site itself still redirects plain http to https.
        page = subprocess.run(
            [
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                "Host: petitions.example.org",
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert page.stdout == "301"
    finally:
        server.terminate()
        server.wait(timeout=10)
