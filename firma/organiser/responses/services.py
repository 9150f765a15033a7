"""Targets' responses and the petition's outcome, as the organisers decide them.

A response arrives pending (through the target's private link) or is entered by an organiser
(received by post or e-mail). Organisers publish it as written or decline it with a reason:
its words never change; they may add translations. Publishing puts it on the page, tells the
webhooks, and e-mails it to the signers who asked for news (mail.py). Every decision is written
to the audit log in the transaction that makes it.
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from firma.core import events as events
from firma.organiser.audit import services as audit
from firma.organiser.audit.services import Action
from firma.organiser.responses.mail import send_response_notices
from firma.petitions.models import Petition, Response, Target

Status = Response.Status


def describe(response: Response) -> str:
    """The response in the audit log's words: whose, and when it was received."""
    name = response.target.name if response.target else "?"
    return f"#{response.pk} {name}, {response.received_at:%Y-%m-%d}"


@transaction.atomic
def publish(response: Response, user: AbstractBaseUser | None) -> bool:
    """Show a pending response on the page as written and send it to the signers; False if
    it was not pending any more (published or declined meanwhile)."""
    now = timezone.now()
    changed = Response.objects.filter(pk=response.pk, status=Status.PENDING).update(
        status=Status.PUBLISHED, published_at=now, decided_by=user
    )
    if not changed:
        return False
    response.status, response.published_at, response.decided_by = Status.PUBLISHED, now, user
    published(response, user)
    return True


def published(response: Response, user: AbstractBaseUser | None) -> None:
    """Record and announce a response just published, in the transaction that published it."""
    petition = response.petition
    audit.record(petition, user, Action.RESPONSE_PUBLISHED, describe(response))
    events.response_published.send(Petition, petition=petition, response=response)
    send_response_notices.enqueue(response.pk)


@transaction.atomic
def decline(response: Response, user: AbstractBaseUser | None, reason: str) -> bool:
    """Keep a pending response off the page, noting why; False if it was not pending."""
    changed = Response.objects.filter(pk=response.pk, status=Status.PENDING).update(
        status=Status.DECLINED, decline_reason=reason, decided_by=user
    )
    if not changed:
        return False
    response.status, response.decline_reason = Status.DECLINED, reason
    audit.record(
        response.petition, user, Action.RESPONSE_DECLINED, f"{describe(response)}: {reason}"
    )
    return True


@transaction.atomic
def enter(
    petition: Petition,
    user: AbstractBaseUser | None,
    *,
    target: Target,
    text: str,
    language: str,
    received_via: str = "",
    received_at: datetime | None = None,
    document_url: str = "",
    publish_now: bool = True,
) -> Response:
    """A response received outside firma (by post, by e-mail), typed in by an organiser; shown
    as entered by the organisers. Published at once unless `publish_now` is false."""
    response = Response.objects.create(
        petition=petition,
        target=target,
        text=text,
        language=language,
        received_via=received_via,
        received_at=received_at or timezone.now(),
        document_url=document_url,
        source=Response.Source.ENTERED,
    )
    audit.record(petition, user, Action.RESPONSE_ENTERED, describe(response))
    if publish_now:
        publish(response, user)
    return response


@transaction.atomic
def translate(response: Response, user: AbstractBaseUser | None, language: str, text: str) -> None:
    """Add (or replace) the organisers' translation of a response into `language`; the
    original words stay as they are."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    locked.translations = {**locked.translations, language: text}
    locked.save(update_fields=["translations"])
    response.translations = locked.translations
    audit.record(
        response.petition, user, Action.RESPONSE_TRANSLATED, f"{describe(response)} → {language}"
    )
    if response.status == Status.PUBLISHED:
        # The page shows the translation: announced like the publication, so that the page
        # is drawn again, but not e-mailed again.
        events.response_translated.send(Petition, petition=response.petition, response=response)


@transaction.atomic
def record_outcome(
    petition: Petition, user: AbstractBaseUser | None, outcome: str, text: str
) -> None:
    """Record what came of the petition (Outcome) with a short text, when closing or later."""
    petition.outcome, petition.outcome_text, petition.outcome_at = outcome, text, timezone.now()
    petition.save(update_fields=["outcome", "outcome_text", "outcome_at"])
    detail = f"{petition.get_outcome_display()}: {text}" if text else petition.get_outcome_display()
    audit.record(petition, user, Action.OUTCOME_RECORDED, detail)
    events.outcome_recorded.send(Petition, petition=petition)
