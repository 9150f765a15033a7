"""The organiser app's models, for Django's registry: each is defined in its room (the tenancy,
the audit log, the lifecycle's milestones, the updates). Import them from there."""

from firma.organiser.audit.models import AuditEntry
from firma.organiser.lifecycle.models import Milestone
from firma.organiser.updates.models import Update, UpdateDelivery, UpdateText
from firma.tenancy.models import Membership, Organisation

__all__ = [
    "AuditEntry",
    "Membership",
    "Milestone",
    "Organisation",
    "Update",
    "UpdateDelivery",
    "UpdateText",
]
