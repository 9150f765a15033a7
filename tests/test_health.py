"""Health checks: /health/live answers without the database, /health/ready checks everything."""

import pytest
from django.db import OperationalError

from tests.conftest import free_port, run_worker, sign

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
