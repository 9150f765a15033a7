import email
import os
import random
import re
import shutil
import socket
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from diskcache import FanoutCache
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.management.commands import db_worker

from firma.petitions.models import Petition, PetitionText, Signature
from tests import databases

# The tiers (README.md): tests that start firma's own processes, and those that drive a browser.
# Everything else runs in the test process itself, and in parallel (make check).
PROCESS_TESTS = {
    "test_processes.py",
    "test_worker_recovery.py",
    "test_cluster.py",
    "test_serve.py",
    "test_flood.py",
    "test_bench.py",
    "test_micro_cache.py",
}
# The fixtures that open the test database, besides the django_db marker.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


# The browser tests' screenshots and reports, of this run only (tests/browser/conftest.py).
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def pytest_sessionstart(session: pytest.Session) -> None:
    """On SQLite, each process's test database starts as a copy of one migrated template
    (tests/databases.py) instead of applying every migration itself. The last run's
    screenshots go once, in the controlling process: a worker emptying the folder would take
    away another worker's files while it writes them."""
    if connection.vendor == "sqlite":
        databases.use_template()
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    databases.stop_using_template()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its tier, and an in-process test with `database` if it uses the
    test database.

    `database` is what the PostgreSQL pass of CI runs (-m database): a test that never opens
    the test database (pure Python, rendering, settings read by a fresh process) or whose
    processes run on SQLite files of their own (the browser and process tests, unless marked
    `database` by hand) would only repeat the SQLite pass.
    """
    browser = Path(__file__).parent / "browser"
    for item in items:
        path = Path(item.path)
        if browser in path.parents:
            item.add_marker(pytest.mark.browser)
        elif path.name in PROCESS_TESTS or item.get_closest_marker("processes"):
            item.add_marker(pytest.mark.processes)
        else:
            item.add_marker(pytest.mark.in_process)
            if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames):
                item.add_marker(pytest.mark.database)


# Ports this process has handed out, never handed out again: a test picks several before it
# starts the servers that listen on them.
_given_ports: set[int] = set()


def free_port() -> int:
    """A port on loopback that nothing listens on, below the kernel's range for outgoing
    connections, picked at random so that concurrent runs on one machine seldom try the same.

    Under pytest-xdist each worker takes only the ports equal to its number modulo the number
    of workers, so two workers never start servers on one port.
    """
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    ports = range(20_000 + worker, 32_768, workers)
    for port in random.sample(ports, min(len(ports), 1_000)):
        if port in _given_ports:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given_ports.add(port)
        return port
    raise RuntimeError("no free port on loopback")


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self, refuse_recipients: bool = False) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse_recipients = refuse_recipients

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


class SMTPServer:
    """A real SMTP server on loopback that the test can stop and start again on the same port."""

    def __init__(self, mailbox: Mailbox, port: int) -> None:
        self.mailbox = mailbox
        self.port = port
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts with an empty cache: rate-limit counters and challenges start from
    zero. It is kept in memory (tests/settings.py)."""
    # Set anew, so that what keeps copies of the cache's values in the process forgets them
    # (they listen for a change of CACHES), and emptied, since every test's is the same memory.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests",
        }
    }
    cache.clear()
    # Counts are read afresh: a test sees a change at once (tests/petitions/test_counting.py
    # checks the cached reads).
    settings.COUNT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def disk_cache(settings, tmp_path):
    """The cache of a deployment without Redis (firma.core.cache.SharedDiskCache), empty, in
    the test's folder: for tests of what depends on the store, as rate-limit counters do."""
    settings.CACHES = {
        "default": {
            "BACKEND": "firma.core.cache.SharedDiskCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    yield
    if isinstance(cache._cache, FanoutCache):  # a test may have swapped in another cache
        cache._cache.close()


@pytest.fixture(autouse=True)
def no_language_left_active():
    """A request activates its language in the thread; the next test starts afresh."""
    yield
    translation.deactivate()


@pytest.fixture
def smtp_server(settings):
    """Mail goes over SMTP to a server on loopback, started and running."""
    server = SMTPServer(Mailbox(), free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    return smtp_server.mailbox


def run_worker(queue: str = "default") -> None:
    """Run the background worker (`db_worker --batch`) on `queue` until it holds nothing ready."""
    arguments = ("--batch", "--no-startup-delay", "--no-reload", "--queue-name", queue)
    if not connection.in_atomic_block:
        call_command("db_worker", *arguments, verbosity=0)
        return
    # Inside a test's transaction: between tasks the worker closes a connection whose
    # autocommit is off, which the test's is, and on PostgreSQL that would end the test's
    # transaction. The tasks run the same; only that check of the connection is skipped.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("db_worker", *arguments, verbosity=0)


def cool_down_passed() -> None:
    """As if the signers' last e-mails left over an hour ago (firma.petitions.mail.cooldown)."""
    Signature.objects.update(emailed_at=timezone.now() - timedelta(hours=1, minutes=1))


def make_petition(
    slug: str = "clean-water",
    texts: dict[str, tuple[str, str]] | None = None,
    **fields,
) -> Petition:
    fields.setdefault("status", Petition.Status.OPEN)
    petition = Petition.objects.create(slug=slug, **fields)
    texts = texts or {"en": ("Clean water for every school", "Every child needs **water**.")}
    for language, (title, body) in texts.items():
        PetitionText.objects.create(petition=petition, language=language, title=title, body=body)
    return petition


@pytest.fixture
def petition(db) -> Petition:
    return make_petition(
        texts={
            "en": ("Clean water for every school", "Every child needs **clean water**."),
            "es": ("Agua limpia para cada escuela", "Cada niño necesita **agua limpia**."),
        },
        goal=100,
    )


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def signing_data(**overrides) -> dict:
    data = {
        "full_name": "Ana Souza",
        "organization": "Teachers' Union",
        "country": "BR",
        "email": "ana@example.org",
        "comment": "",
        "public": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def sign(client, petition: Petition, language: str = "en", *, REMOTE_ADDR=None, **overrides):
    """POST the signing form; REMOTE_ADDR sets the address it comes from."""
    extra = {"REMOTE_ADDR": REMOTE_ADDR} if REMOTE_ADDR else {}
    return client.post(
        url("petitions:sign", language, slug=petition.slug), signing_data(**overrides), **extra
    )


def confirmation_path(message: EmailMessage) -> str:
    text = message.get_body(("plain",)).get_content()
    links = re.findall(r"https?://[^/\s]+(/\S*/confirm/\S+)", text)
    assert len(links) == 1, text
    return links[0]


def petition_form_data(petition: Petition | None = None, **overrides) -> dict:
    """What the admin's petition form posts: the petition's values and its translations, or
    a new petition with one English text when `petition` is None."""
    texts = list(petition.texts.all()) if petition else [None]
    data = {
        "slug": petition.slug if petition else "new-petition",
        "status": petition.status if petition else "draft",
        "default_language": "en",
        "organization_field": "required",
        "country_field": "required",
        "comment_field": "optional",
        "challenge": "auto",
        "retention_days": "90",
        "texts-TOTAL_FORMS": str(len(texts)),
        "texts-INITIAL_FORMS": str(len(texts) if petition else 0),
        "texts-MIN_NUM_FORMS": "1",
        "texts-MAX_NUM_FORMS": "1000",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "10",
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "1000",
    }
    for number, text in enumerate(texts):
        prefix = f"texts-{number}-"
        if text is None:
            data.update({prefix + "language": "en", prefix + "title": "A new petition"})
            continue
        data.update(
            {
                prefix + "id": text.pk,
                prefix + "petition": petition.pk,
                prefix + "language": text.language,
                prefix + "title": text.title,
                prefix + "body": text.body,
            }
        )
    return {**data, **overrides}
