import email
import re
import socket
from datetime import timedelta
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from diskcache import FanoutCache
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from firma.petitions.models import Petition, PetitionText, Signature


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
def fresh_cache(settings, tmp_path):
    """Each test has its own cache: rate-limit counters and challenges start from zero."""
    settings.CACHES = {
        "default": {
            "BACKEND": "firma.core.cache.SharedDiskCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    # Counts are read afresh: a test sees a change at once (tests/petitions/test_counting.py
    # checks the cached reads).
    settings.COUNT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
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


def run_worker() -> None:
    """Run the background worker until the queue holds nothing ready."""
    # The worker closes connections that are inside a transaction, as a test's is unless the
    # test asks for real transactions; on PostgreSQL the test's connection would die.
    assert not connection.in_atomic_block, "tests that run the worker need transaction=True"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


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
