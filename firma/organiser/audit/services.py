"""The audit log: who did what to which petition or signature, written in the transaction that
did it, so that no change goes unrecorded and no record tells of a change that was undone."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from firma.organiser.audit.models import AuditEntry
from firma.petitions.models import Petition


class Action(models.TextChoices):
    COMMENT_HIDDEN = "comment_hidden", _("Comment hidden")
    COMMENT_SHOWN = "comment_shown", _("Comment shown again")
    ENTRY_HIDDEN = "entry_hidden", _("Hidden from the public list")
    ENTRY_SHOWN = "entry_shown", _("Shown in the public list again")
    NAME_CORRECTED = "name_corrected", _("Name corrected")
    EDITED = "signature_edited", _("Signature edited")
    INVALIDATED = "signature_invalidated", _("Signature invalidated")
    RESTORED = "signature_restored", _("Signature counted again")
    CLOSED = "petition_closed", _("Petition closed")
    CLOSED_ON_DATE = "petition_closed_on_date", _("Petition closed at its closing date")
    ARCHIVED = "petition_archived", _("Petition archived")
    RESPONSE_PUBLISHED = "response_published", _("Response published")
    RESPONSE_DECLINED = "response_declined", _("Response declined")
    RESPONSE_ENTERED = "response_entered", _("Response entered by the organisers")
    RESPONSE_TRANSLATED = "response_translated", _("Response translated")
    OUTCOME_RECORDED = "outcome_recorded", _("Outcome recorded")
    DELIVERED = "petition_delivered", _("Petition delivered by e-mail")
    DELIVERY_RECORDED = "delivery_recorded", _("Delivery made elsewhere recorded")
    THRESHOLD_REACHED = "delivery_count_reached", _("Signatures to deliver at reached")
    ENDORSEMENT_VERIFIED = "endorsement_verified", _("Endorsement verified")
    ENDORSEMENT_DECLINED = "endorsement_declined", _("Endorsement declined")
    PARTNER_EXPORT = "partner_export", _("Partner's consenting signers exported")


def record(
    petition: Petition,
    user: AbstractBaseUser | None,
    action: Action,
    detail: str = "",
    signature_id: int | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        organisation_id=petition.organisation_id,
        petition=petition,
        signature_id=signature_id,
        user=user,
        action=action,
        detail=detail[:500],
    )


def label(action: str) -> str:
    """The action in words; a code no longer known is shown as it is."""
    return Action(action).label if action in Action.values else action
