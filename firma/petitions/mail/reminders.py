"""Reminders for signers who have not confirmed: each petition says when (reminder_hours).

A reminder goes only to a pending, valid signature whose first link is still valid, and only
once per scheduled hour; a signer who confirms, or whose signature is deleted, gets none. The
periodic task queues those due; `manage.py send_reminders` does the same at once.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from firma.core import periodic
from firma.petitions.mail import cooldown
from firma.petitions.mail import tasks as tasks
from firma.petitions.models import Petition, Signature

logger = logging.getLogger("firma.mail")

# How often the background task looks for reminders due: they go out at most this late.
INTERVAL = timedelta(minutes=15)
# Signatures reminded in one transaction and one e-mail task.
BATCH = 500


def link_valid_since(now: datetime) -> datetime:
    """Signatures created after this still have a valid confirmation link."""
    return now - timedelta(seconds=settings.CONFIRMATION_MAX_AGE)


def due(petition: Petition, number: int, hours: list[int], now: datetime):
    """The pending signatures of `petition` due for reminder `number` (0 for the first).

    A signature that is already due for a later reminder too (the schedule changed, or the
    task did not run for a while) gets that one instead: one reminder, never two in a row.
    """
    signatures = (
        Signature.objects.pending()
        .filter(
            cooldown.rested(now),
            petition=petition,
            reminders_sent__lte=number,
            created_at__lte=now - timedelta(hours=hours[number]),
            created_at__gt=link_valid_since(now),
        )
        .exclude(email="")
        .exclude(flags__contains="honeypot")  # never e-mailed: nobody asked for a link
    )
    if number + 1 < len(hours):
        signatures = signatures.filter(created_at__gt=now - timedelta(hours=hours[number + 1]))
    return signatures


def send_due(now: datetime | None = None) -> int:
    """Queue every reminder due; the number queued."""
    now = now or timezone.now()
    queued = 0
    for petition in Petition.objects.open().exclude(reminder_hours="").order_by("pk"):
        try:
            hours = petition.reminder_schedule
        except ValidationError:
            logger.warning("Petition %s has an invalid reminder schedule", petition.slug)
            continue
        for number in reversed(range(len(hours))):
            queued += queue(due(petition, number, hours, now), number + 1, now)
    return queued


def queue(signatures, sent: int, now: datetime) -> int:
    """Mark the signatures as reminded and queue their reminders."""
    return in_batches(signatures, tasks.send_reminders, reminders_sent=sent, emailed_at=now)


def in_batches(signatures, send: Task, **changes) -> int:
    """Apply `changes` to the signatures and queue `send` for them, in batches, each in one
    transaction: both, or neither. The changes must take a signature out of `signatures`
    (emailed_at does: the cool-down), or this would never end. The number queued."""
    total = 0
    while True:
        with transaction.atomic():
            ids = list(signatures.order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                return total
            Signature.objects.filter(pk__in=ids).update(**changes)
            send.enqueue(ids)
        total += len(ids)


@task()
def send_due_reminders() -> None:
    """The periodic run: queues the reminders due, then its own next run."""
    try:
        count = send_due()
        if count:
            logger.info("Queued %s reminders", count)
    finally:
        # Even after an error, so one bad run does not end the schedule.
        periodic.schedule(send_due_reminders, run_after=timezone.now() + INTERVAL)


def resendable(petition: Petition, since: datetime, until: datetime, now: datetime | None = None):
    """The pending signatures of `petition` signed in [since, until) that an organiser's resend
    would e-mail now: those e-mailed within the hour wait for their cool-down."""
    now = now or timezone.now()
    return (
        Signature.objects.pending()
        .filter(cooldown.rested(now), petition=petition, created_at__gte=since)
        .filter(created_at__lt=until)
        .exclude(email="")
        .exclude(flags__contains="honeypot")
    )


def resend(petition: Petition, since: datetime, until: datetime) -> int:
    """Send a fresh confirmation link to each of resendable(); the number queued."""
    now = timezone.now()
    signatures = resendable(petition, since, until, now)
    return in_batches(signatures, tasks.send_confirmation_requests, emailed_at=now)
