"""Signing and confirming: the two changes a signer makes."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import counting, events, tasks
from .clients import Client
from .forms import SignatureForm
from .models import Signature

# What a new submission may replace in an unconfirmed signature with the same address.
SUBMITTED_FIELDS = [
    "full_name",
    "organization",
    "country",
    "comment",
    "public",
    "news_opt_in",
    "language",
    "ip_hash",
    "user_agent_family",
    "fill_seconds",
    "challenge_used",
    "flags",
    "source",
    "referrer",
]


def sign(form: SignatureForm, language: str, client: Client) -> None:
    """Record a valid signing form and e-mail the address.

    A new address gets a confirmation link. For an address that has signed this petition
    already, nothing new is created: an unconfirmed signature takes the new details and gets a
    fresh link (the confirmation page shows what will be published), a confirmed one stays as
    it is and gets a short note. The person at the keyboard sees the same either way, so the
    form reveals nobody's signature. A form that tripped the honeypot is kept for the
    organiser to judge, and no e-mail is sent for it.
    """
    signature = form.save(commit=False)
    signature.language = language
    signature.ip_hash = client.ip_hash
    signature.user_agent_family = client.user_agent_family
    signature.email_domain = signature.email.rpartition("@")[2]
    signature.fill_seconds = form.fill_seconds
    signature.challenge_used = form.challenge_required
    signature.flags = " ".join(form.flags)
    send = "honeypot" not in form.flags
    try:
        # The e-mail task is queued in the same transaction: both are stored, or neither.
        with transaction.atomic():
            signature.save()
            if send:
                tasks.send_confirmation_request.enqueue(signature.pk)
        return
    except IntegrityError:
        if not send:
            return  # a bot must not overwrite what a person sent
    with transaction.atomic():
        existing = Signature.objects.select_for_update().get(
            petition=signature.petition, email=signature.email
        )
        if existing.status == Signature.Status.CONFIRMED:
            tasks.send_already_signed_note.enqueue(existing.pk)
            return
        for field in SUBMITTED_FIELDS:
            setattr(existing, field, getattr(signature, field))
        existing.save(update_fields=SUBMITTED_FIELDS)
        tasks.send_confirmation_request.enqueue(existing.pk)


@transaction.atomic
def confirm(signature: Signature) -> None:
    """Count a pending signature. Confirming twice changes nothing."""
    now = timezone.now()
    changed = Signature.objects.filter(pk=signature.pk, status=Signature.Status.PENDING).update(
        status=Signature.Status.CONFIRMED, confirmed_at=now
    )
    if not changed:
        return
    signature.status, signature.confirmed_at = Signature.Status.CONFIRMED, now
    if signature.invalidation_id is None:
        counting.record(signature.petition_id, signature.country, 1)
    events.signature_confirmed.send(Signature, signature=signature)
