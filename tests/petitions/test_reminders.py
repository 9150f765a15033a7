"""Reminders for unconfirmed signers: when each petition says, once, and never after confirming."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firma.core import periodic
from firma.petitions.mail import reminders
from firma.petitions.models import Petition, Signature
from tests.conftest import confirmation_path, petition_form_data, run_worker, sign

pytestmark = pytest.mark.django_db(transaction=True)


def signed_ago(client, petition, hours: float, language: str = "en", **data) -> Signature:
    """Sign through the form, deliver the first link, and move the signing back in time."""
    sign(client, petition, language, **data)
    run_worker()
    signature = Signature.objects.get(email=data.get("email", "ana@example.org"))
    then = timezone.now() - timedelta(hours=hours)
    Signature.objects.filter(pk=signature.pk).update(created_at=then, emailed_at=then)
    return signature


def remind() -> str:
    """`manage.py send_reminders`, then the worker; what the command said."""
    out = StringIO()
    call_command("send_reminders", stdout=out)
    run_worker()
    return out.getvalue()


def reminders_to(mailbox, address: str = "ana@example.org") -> list:
    return [m for m in mailbox.to(address) if "not confirmed" in m["Subject"]]


def test_by_default_one_reminder_after_a_day_and_only_one(client, petition, mailbox):
    assert petition.reminder_hours == "24"
    signed_ago(client, petition, hours=23)
    assert "Queued 0 reminders" in remind()
    assert reminders_to(mailbox) == []

    Signature.objects.update(created_at=timezone.now() - timedelta(hours=25))
    Signature.objects.update(emailed_at=timezone.now() - timedelta(hours=2))
    assert "Queued 1 reminder." in remind()
    [reminder] = reminders_to(mailbox)
    assert "Clean water for every school" in reminder["Subject"]
    html = reminder.get_body(("html",)).get_content()
    assert "Confirm my signature" in html

    Signature.objects.update(emailed_at=timezone.now() - timedelta(hours=2))
    assert "Queued 0 reminders" in remind()
    assert len(reminders_to(mailbox)) == 1

    # The reminder's link confirms.
    assert client.post(confirmation_path(reminder)).status_code == 302
    assert Signature.objects.get().status == Signature.Status.CONFIRMED


def test_never_after_confirming(client, petition, mailbox):
    signed_ago(client, petition, hours=30)
    client.post(confirmation_path(mailbox.messages[0]))
    assert "Queued 0 reminders" in remind()
    assert reminders_to(mailbox) == []


def test_confirming_between_queueing_and_sending_stops_the_reminder(client, petition, mailbox):
    signed_ago(client, petition, hours=30)
    call_command("send_reminders", stdout=StringIO())
    client.post(confirmation_path(mailbox.messages[0]))
    run_worker()
    assert reminders_to(mailbox) == []


def test_two_reminders_each_once(client, petition, mailbox):
    Petition.objects.update(reminder_hours="24, 72")
    signature = signed_ago(client, petition, hours=25)
    remind()
    assert len(reminders_to(mailbox)) == 1
    Signature.objects.update(
        created_at=timezone.now() - timedelta(hours=73),
        emailed_at=timezone.now() - timedelta(hours=2),
    )
    remind()
    assert len(reminders_to(mailbox)) == 2
    Signature.objects.update(emailed_at=timezone.now() - timedelta(hours=2))
    remind()
    assert len(reminders_to(mailbox)) == 2
    signature.refresh_from_db()
    assert signature.reminders_sent == 2


def test_a_late_run_sends_one_reminder_not_two(client, petition, mailbox):
    Petition.objects.update(reminder_hours="24, 72")
    signed_ago(client, petition, hours=80)
    remind()
    assert len(reminders_to(mailbox)) == 1
    assert Signature.objects.get().reminders_sent == 2


def test_none_when_the_petition_says_none(client, petition, mailbox):
    Petition.objects.update(reminder_hours="")
    signed_ago(client, petition, hours=30)
    assert "Queued 0 reminders" in remind()
    assert reminders_to(mailbox) == []


def test_none_once_the_link_has_expired(client, petition, mailbox, settings):
    settings.CONFIRMATION_MAX_AGE = 20 * 3600
    Petition.objects.update(reminder_hours="12")
    signed_ago(client, petition, hours=21)
    assert "Queued 0 reminders" in remind()


def test_none_for_a_closed_petition_or_a_honeypot_catch(client, petition, mailbox):
    signed_ago(client, petition, hours=30)
    Petition.objects.update(status=Petition.Status.CLOSED)
    assert "Queued 0 reminders" in remind()
    Petition.objects.update(status=Petition.Status.OPEN)
    Signature.objects.update(flags="honeypot")
    assert "Queued 0 reminders" in remind()


def test_the_reminder_is_in_the_signers_language(client, petition, mailbox):
    signed_ago(client, petition, hours=30, language="es")
    remind()
    [reminder] = [m for m in mailbox.messages if "Agua limpia" in m["Subject"]][1:]
    assert "/es/" in confirmation_path(reminder)
    assert "not confirmed" not in reminder["Subject"]


def test_the_periodic_task_is_registered_and_queues_its_next_run(petition):
    assert reminders.send_due_reminders in periodic.registered
    reminders.send_due_reminders.call()
    queued = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert queued.task_path == reminders.send_due_reminders.module_path
    assert queued.run_after > timezone.now() + timedelta(minutes=10)


def test_a_reminder_sent_twice_by_a_crashed_worker_leaves_once(client, petition, mailbox):
    signed_ago(client, petition, hours=30)
    call_command("send_reminders", stdout=StringIO())
    run_worker()
    # The worker died after sending, before noting the task done: it runs again.
    DBTaskResult.objects.filter(task_path__endswith="send_reminders").update(
        status=TaskResultStatus.READY
    )
    run_worker()
    assert len(reminders_to(mailbox)) == 1


FILE = """+++
slug = "clean-water"
title = "Clean water for every school"
language = "en"
status = "open"
{line}
+++
Every child needs water.
"""


@pytest.mark.parametrize(
    ("line", "stored"),
    [
        ("", "24"),
        ("reminder_hours = [24]", "24"),
        ("reminder_hours = []", ""),
        ("reminder_hours = [12, 48]", "12, 48"),
    ],
)
def test_the_petition_file_sets_the_reminders(tmp_path, line, stored):
    path = tmp_path / "p.md"
    path.write_text(FILE.format(line=line), encoding="utf-8")
    call_command("import_petition", path, stdout=StringIO())
    assert Petition.objects.get().reminder_hours == stored


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("reminder_hours = 24", "array of whole numbers"),
        ('reminder_hours = ["24"]', "array of whole numbers"),
        ("reminder_hours = [true]", "array of whole numbers"),
        ("reminder_hours = [24, 48, 72]", "At most 2 reminders"),
        ("reminder_hours = [48, 24]", "after the one before"),
        ("reminder_hours = [0]", "after the one before"),
        ("reminder_hours = [800]", "before the confirmation link expires"),
    ],
)
def test_a_bad_reminder_schedule_is_refused_clearly(tmp_path, line, reason):
    path = tmp_path / "p.md"
    path.write_text(FILE.format(line=line), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_petition", path, stdout=StringIO())
    assert "'reminder_hours'" in str(error.value)
    assert reason in str(error.value)
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    ("given", "stored", "error"),
    [("24,72", "24, 72", None), ("", "", None), ("72, 24", None, "after the one before")],
)
def test_organisers_set_the_reminders_in_the_admin(client, petition, given, stored, error):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw-pw-pw-pw"))
    response = client.post(
        reverse("admin:petitions_petition_change", args=[petition.pk]),
        petition_form_data(petition, reminder_hours=given),
    )
    petition.refresh_from_db()
    if error:
        assert response.status_code == 200
        assert error in response.text
        assert petition.reminder_hours == "24"
    else:
        assert response.status_code == 302
        assert petition.reminder_hours == stored
