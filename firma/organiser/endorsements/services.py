"""The organisers' verdict on an endorsement: verified (the organisation is listed on the page)
or declined with a reason. Each verdict is written to the audit log in its transaction, and
tells the page to draw its list of organisations again."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from firma.core import events
from firma.organiser.audit import services as audit
from firma.organiser.audit.services import Action
from firma.petitions.models import Petition, Signature

Verification = Signature.Verification


def describe(signature: Signature) -> str:
    """The endorsement in the audit log's words."""
    return f"{signature.organisation_name} ({signature.country.code or '?'})"


@transaction.atomic
def verify(signature: Signature, user: AbstractBaseUser | None) -> bool:
    """List the organisation on the page; False if it was verified already."""
    changed = (
        Signature.objects.endorsements()
        .filter(pk=signature.pk)
        .exclude(verification=Verification.VERIFIED)
        .update(verification=Verification.VERIFIED, verification_reason="")
    )
    if not changed:
        return False
    signature.verification, signature.verification_reason = Verification.VERIFIED, ""
    reviewed(signature, user, Action.ENDORSEMENT_VERIFIED, describe(signature))
    return True


@transaction.atomic
def decline(signature: Signature, user: AbstractBaseUser | None, reason: str) -> bool:
    """Keep the organisation off the page, noting why; the signature still counts once, as
    any other. False if it was declined already."""
    changed = (
        Signature.objects.endorsements()
        .filter(pk=signature.pk)
        .exclude(verification=Verification.DECLINED)
        .update(verification=Verification.DECLINED, verification_reason=reason)
    )
    if not changed:
        return False
    signature.verification, signature.verification_reason = Verification.DECLINED, reason
    reviewed(signature, user, Action.ENDORSEMENT_DECLINED, f"{describe(signature)}: {reason}")
    return True


def reviewed(signature: Signature, user: AbstractBaseUser | None, action: str, detail: str) -> None:
    audit.record(signature.petition, user, action, detail, signature_id=signature.pk)
    events.endorsement_reviewed.send(Petition, petition=signature.petition, signature=signature)
