"""Erasing signers' personal data once a petition has been closed for its retention period.

The counts survive: each confirmed signature keeps its petition, country, language, status,
invalidation and dates, so the total, the counts by country and the counts by day stay exact.
Unconfirmed signatures never counted and are deleted, as is every unconfirmed signature whose
confirmation link has expired, open petition or not. The admin's log loses its entries about the
signatures erased. A petition reopened after its erasure is erased again once it closes again:
the signatures it took since are not kept past their retention period either.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django_tasks import task

from firma.core import events, periodic
from firma.petitions.consents import services as consents
from firma.petitions.models import Petition, Signature

logger = logging.getLogger("firma.retention")

# Statuses of a petition that stopped taking signatures: archived ones were closed first.
ENDED = [Petition.Status.CLOSED, Petition.Status.ARCHIVED]
PENDING = Q(status=Signature.Status.PENDING)

# How often the background task looks for petitions whose signers' data are due for erasure.
INTERVAL = timedelta(hours=24)

# Everything that could identify a signer, blanked. What the counts need is left alone.
ERASED = {
    "full_name": "",
    "affiliation": "",
    # An endorsement keeps the organisation's public name and website, not its signer's role.
    "organisation_position": "",
    "email": "",  # the one-signature-per-address rule leaves out blank addresses
    "mailbox": "",
    "comment": "",
    "answers": {},
    "public": False,
    "news_opt_in": False,
    "organisation_news": False,
    "email_error": "",  # a bounce message usually quotes the address
    "ip_hash": "",
    "user_agent_family": "",
    "email_domain": "",
    "fill_seconds": None,
    "challenge_used": False,
    "flags": "",
}


@dataclass(frozen=True)
class Erasure:
    petition: Petition
    anonymised: int  # signatures kept, without personal data, for the counts
    deleted: int  # unconfirmed signatures removed


def closed_since(petition: Petition) -> datetime | None:
    """When the petition stopped taking signatures, if it has: closed by an organiser, or the
    end of its closing day, whichever came first."""
    moments = []
    if petition.status in ENDED and petition.closed_at:
        moments.append(petition.closed_at)
    if petition.closes_on:
        # The closing day itself is the last day to sign.
        day_after: date = petition.closes_on + timedelta(days=1)
        moments.append(timezone.make_aware(datetime.combine(day_after, time.min)))
    return min(moments, default=None)


def due_petitions(now: datetime | None = None) -> list[Petition]:
    """Petitions closed for at least their `retention_days` whose signers are not erased yet."""
    now = now or timezone.now()
    closed = Q(status__in=ENDED, closed_at__lte=now) | Q(closes_on__lt=timezone.localdate(now))
    # Erased before, but reopened (its status, or a later closing day) and signed since.
    signed_since = Exists(
        Signature.objects.filter(petition=OuterRef("pk"), created_at__gte=OuterRef("anonymised_at"))
    )
    not_erased = Q(anonymised_at__isnull=True) | signed_since
    candidates = Petition.objects.filter(closed).filter(not_erased).order_by("pk")
    # Each petition has its own period: few petitions, so they are compared here, not in SQL.
    return [
        petition
        for petition in candidates
        if (since := closed_since(petition))
        and since + timedelta(days=petition.retention_days) <= now
    ]


def erase(petition: Petition, now: datetime) -> Erasure:
    """Anonymise every signature of `petition` in two queries, whatever their number."""
    signatures = Signature.objects.filter(petition=petition)
    with transaction.atomic():
        # Copies elsewhere (webhook payloads) go with the signatures, in the same transaction.
        events.signers_erased.send(Petition, petition=petition)
        forget_in_admin_log(signatures.filter(Q(anonymised_at__isnull=True) | PENDING))
        consents.forget(petition)  # what each signer chose, with the words they were shown
        deleted, _ = signatures.filter(status=Signature.Status.PENDING).delete()
        anonymised = (
            signatures.exclude(status=Signature.Status.PENDING)
            .filter(anonymised_at__isnull=True)
            .update(**ERASED, anonymised_at=now)
        )
        Petition.objects.filter(pk=petition.pk).update(anonymised_at=now)
        events.personal_data_erased.send(
            Petition, petition=petition, signature_ids=None, reason="expired"
        )
    petition.anonymised_at = now
    return Erasure(petition, anonymised=anonymised, deleted=deleted)


def forget_in_admin_log(signatures: QuerySet[Signature]) -> int:
    """Delete the admin's log entries about `signatures`: older entries name their signer."""
    keys = signatures.annotate(key=Cast("pk", output_field=TextField())).values("key")
    kind = ContentType.objects.get_for_model(Signature)
    deleted, _ = LogEntry.objects.filter(content_type=kind, object_id__in=keys).delete()
    return deleted


def expired_unconfirmed(now: datetime | None = None) -> QuerySet[Signature]:
    """Unconfirmed signatures whose confirmation link has expired: they can never count.

    A link is made when its e-mail is sent, up to the sum of EMAIL_RETRY_DELAYS after the
    signature was stored (signing again moves created_at, and sends a new link)."""
    now = now or timezone.now()
    sent_by = timedelta(seconds=settings.CONFIRMATION_MAX_AGE + sum(settings.EMAIL_RETRY_DELAYS))
    return Signature.objects.filter(PENDING, created_at__lt=now - sent_by)


def delete_expired_unconfirmed(now: datetime | None = None) -> int:
    with transaction.atomic():
        doomed = expired_unconfirmed(now)
        forget_in_admin_log(doomed)
        deleted, _ = doomed.delete()
    return deleted


def planned_erasure(petition: Petition) -> Erasure:
    """What erase() would do to `petition`, counted without changing anything."""
    signatures = Signature.objects.filter(petition=petition)
    pending = signatures.filter(status=Signature.Status.PENDING)
    kept = signatures.exclude(status=Signature.Status.PENDING).filter(anonymised_at__isnull=True)
    return Erasure(petition, anonymised=kept.count(), deleted=pending.count())


def anonymise_expired(dry_run: bool = False, now: datetime | None = None) -> list[Erasure]:
    """Erase the signers' data of every petition due for it; with `dry_run`, only count."""
    now = now or timezone.now()
    if dry_run:
        return [planned_erasure(petition) for petition in due_petitions(now)]
    return [erase(petition, now) for petition in due_petitions(now)]


@task()
def anonymise_expired_petitions() -> None:
    """The periodic erasure: runs, then queues its next run a day later."""
    try:
        if expired := delete_expired_unconfirmed():
            logger.info("Deleted %s unconfirmed signatures whose link had expired", expired)
        for erasure in anonymise_expired():
            logger.info(
                "Erased the signers' data of %s: %s signatures anonymised, %s unconfirmed deleted",
                erasure.petition.slug,
                erasure.anonymised,
                erasure.deleted,
            )
    finally:
        # Even after an error, so one bad day does not end the schedule.
        periodic.schedule(anonymise_expired_petitions, run_after=timezone.now() + INTERVAL)
