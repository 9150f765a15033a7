"""Signing and confirming: the two changes a signer makes."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import tasks
from .forms import SignatureForm
from .models import Signature


def sign(form: SignatureForm, language: str) -> None:
    """Record a valid signing form and e-mail the address.

    A new address gets a confirmation link. An address that has signed this petition already
    changes nothing: it gets a fresh link if still unconfirmed, a short note otherwise. The
    person at the keyboard sees the same either way, so the form reveals nobody's signature.
    """
    signature = form.save(commit=False)
    signature.language = language
    try:
        # The e-mail task is queued in the same transaction: both are stored, or neither.
        with transaction.atomic():
            signature.save()
            tasks.send_confirmation_request.enqueue(signature.pk)
        return
    except IntegrityError:
        pass
    existing = Signature.objects.get(petition=signature.petition, email=signature.email)
    if existing.status == Signature.Status.PENDING:
        tasks.send_confirmation_request.enqueue(existing.pk)
    else:
        tasks.send_already_signed_note.enqueue(existing.pk)


def confirm(signature: Signature) -> None:
    """Count a pending signature. Confirming twice changes nothing."""
    Signature.objects.filter(pk=signature.pk, status=Signature.Status.PENDING).update(
        status=Signature.Status.CONFIRMED, confirmed_at=timezone.now()
    )
