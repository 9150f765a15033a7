"""Settings come from the environment, with safe local defaults."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

from firma.petitions import tokens
from firma.petitions.models import Signature
from firma.settings import INSECURE_SECRET_KEY
from tests.conftest import url
from tests.environment import PRINT_SETTINGS, read, run, settings_with


def test_without_debug_the_default_secret_key_is_refused():
    result = settings_with({"DEBUG": "0"}, "SECRET_KEY")
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_without_debug_a_real_secret_key_is_accepted():
    values = read(
        {"DEBUG": "0", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "a.example,b.example"},
        "DEBUG",
        "ALLOWED_HOSTS",
    )
    assert values == {"DEBUG": False, "ALLOWED_HOSTS": ["a.example", "b.example"]}


def test_a_process_started_without_debug_or_secret_key_refuses_to_run():
    # The WSGI app under any server, or the worker: production unless told otherwise.
    for command in (["-c", "import firma.wsgi"], ["manage.py", "db_worker", "--help"]):
        result = run({}, *command)
        assert result.returncode != 0
        assert "set SECRET_KEY" in result.stderr


def test_the_development_key_is_refused_as_a_fallback_too():
    result = settings_with(
        {"DEBUG": "0", "SECRET_KEY": "s" * 50, "SECRET_KEY_FALLBACKS": INSECURE_SECRET_KEY},
        "SECRET_KEY",
    )
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def debug_of(*argv: str) -> subprocess.CompletedProcess:
    code = f"import sys; sys.argv = {list(argv)!r}\n" + PRINT_SETTINGS % (("DEBUG",),)
    return run({}, "-c", code)


def test_only_commands_from_a_checkout_default_to_debug():
    for command in ("runserver", "makemigrations", "createsuperuser"):
        result = debug_of("manage.py", command)
        assert json.loads(result.stdout) == {"DEBUG": True}, result.stderr
    for argv in (["manage.py", "db_worker"], ["granian", "firma.wsgi:application"]):
        assert "set SECRET_KEY" in debug_of(*argv).stderr
    assert read({"DEBUG": "1"}, "DEBUG") == {"DEBUG": True}


def test_make_run_turns_debug_on():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert "run: export DEBUG ?= 1" in makefile


@pytest.mark.django_db
def test_signed_links_made_with_the_development_key_do_not_work_in_production(client, petition):
    signature = Signature.objects.create(
        petition=petition, full_name="Dev Key", email="dev@example.org", language="en"
    )
    with override_settings(SECRET_KEY=INSECURE_SECRET_KEY):
        token = tokens.self_service_token(signature)
    link = url("petitions:my_signature", slug=petition.slug, token=token)
    assert client.get(link).status_code == 200  # the test suite itself runs with that key
    with override_settings(SECRET_KEY="p" * 50, SECRET_KEY_FALLBACKS=[]):
        response = client.get(link)
    assert response.status_code == 404
    assert signature.full_name not in response.text


def test_local_defaults():
    values = read({"DEBUG": "1"}, "DEBUG", "EMAIL_BACKEND", "BASE_URL", "DATABASES", "CACHES")
    assert values["DEBUG"] is True
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["BASE_URL"] == "http://127.0.0.1:8000"
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"].endswith("var/firma.sqlite3")
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5


def test_port_moves_the_base_url():
    assert read({"DEBUG": "1", "PORT": "9000"}, "BASE_URL") == {"BASE_URL": "http://127.0.0.1:9000"}


def test_email_url():
    values = read(
        {"DEBUG": "1", "EMAIL_URL": "smtp+tls://user%40example.org:s3cret@mail.example.org:587"},
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
    )
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "user@example.org",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": True,
    }
    assert read(
        {"DEBUG": "1", "EMAIL_URL": "smtp+ssl://mail.example.org:465"}, "EMAIL_USE_SSL"
    ) == {"EMAIL_USE_SSL": True}


def test_database_and_redis_urls():
    values = read(
        {
            "DEBUG": "1",
            "DATABASE_URL": "postgres://firma:pw@db.example.org:5432/firma",
            "REDIS_URL": "redis://127.0.0.1:6379/1",
        },
        "DATABASES",
        "CACHES",
    )
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == (
        "db.example.org",
        "firma",
        "firma",
    )
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "KEY_PREFIX": "",
    }
    prefixed = read(
        {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/1", "CACHE_KEY_PREFIX": "site2"},
        "CACHES",
    )
    assert prefixed["CACHES"]["default"]["KEY_PREFIX"] == "site2"


def test_sqlite_really_runs_in_wal_mode(tmp_path):
    database = tmp_path / "wal.sqlite3"
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])"
    )
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "firma.settings",
        "DEBUG": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000"]


def test_a_malformed_rate_limit_is_refused_at_start():
    result = settings_with(
        {"DEBUG": "1", "RATE_LIMIT_IP_BURST": "ten a minute"}, "SIGNING_RATE_LIMITS"
    )
    assert result.returncode != 0
    assert "must be count/seconds" in result.stderr


def test_an_unknown_challenge_mode_is_refused_at_start():
    result = settings_with({"DEBUG": "1", "SIGNING_CHALLENGE": "sometimes"}, "SIGNING_CHALLENGE")
    assert result.returncode != 0
    assert "SIGNING_CHALLENGE must be" in result.stderr
