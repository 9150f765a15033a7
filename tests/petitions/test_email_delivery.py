"""E-mails go out through the durable task queue and survive a mail server outage."""

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firma.petitions.models import Signature
from tests.conftest import (
    Mailbox,
    SMTPServer,
    confirmation_path,
    cool_down_passed,
    free_port,
    run_worker,
    sign,
)

pytestmark = pytest.mark.django_db


def test_an_email_survives_an_smtp_outage_and_is_delivered_once(client, petition, settings):
    server = SMTPServer(Mailbox(), free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port  # nothing listens yet: the server is down
    settings.EMAIL_RETRY_DELAYS = [60, 60, 60]

    assert sign(client, petition).status_code == 302
    run_worker()
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}

    server.start()
    try:
        run_worker()  # the retry waits out its back-off
        assert server.mailbox.messages == []
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_worker()
        run_worker()
        assert len(server.mailbox.messages) == 1
        client.post(confirmation_path(server.mailbox.messages[0]))
    finally:
        server.stop()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert Signature.objects.get().status == Signature.Status.CONFIRMED


def test_the_worker_being_stopped_only_delays_the_email(client, petition, mailbox):
    sign(client, petition)
    assert mailbox.messages == []  # the worker is not running: nothing sent yet
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    run_worker()
    assert len(mailbox.messages) == 1


def test_giving_up_after_the_last_retry_is_recorded(client, petition, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_RETRY_DELAYS = [0, 0]
    sign(client, petition)
    run_worker()
    assert DBTaskResult.objects.count() == 3  # the first attempt and two retries
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert "Connection refused" in Signature.objects.get().email_error


def test_a_permanent_refusal_is_recorded_not_retried(client, petition, smtp_server):
    smtp_server.mailbox.refuse_recipients = True
    sign(client, petition)
    run_worker()
    assert smtp_server.mailbox.messages == []
    assert DBTaskResult.objects.count() == 1
    assert "No such mailbox" in Signature.objects.get().email_error


def test_a_later_success_clears_the_recorded_error(client, petition, mailbox):
    sign(client, petition)
    Signature.objects.update(email_error="550 earlier failure")
    run_worker()
    assert len(mailbox.messages) == 1
    assert Signature.objects.get().email_error == ""


def test_no_link_is_sent_once_the_signature_is_confirmed(client, petition, mailbox):
    sign(client, petition)
    cool_down_passed()
    sign(client, petition)  # a second link queued
    run_worker()
    client.post(confirmation_path(mailbox.messages[0]))
    count = len(mailbox.messages)
    cool_down_passed()
    sign(client, petition)  # now queues the "already signed" note
    run_worker()
    assert len(mailbox.messages) == count + 1
    assert "already signed" in mailbox.messages[-1]["Subject"]
