"""The petitions app's models, one module per concept."""

from firma.petitions.models.consents import ConsentRecord, ConsentWording
from firma.petitions.models.mail import SentEmail, Suppression
from firma.petitions.models.outreach import Delivery, DeliveryRecipient, Response, Target
from firma.petitions.models.partners import Partner
from firma.petitions.models.petitions import (
    FieldSetting,
    Outcome,
    Petition,
    PetitionQuerySet,
    PetitionText,
)
from firma.petitions.models.questions import Question
from firma.petitions.models.signatures import (
    COUNTED,
    LISTED,
    Invalidation,
    Signature,
    SignatureQuerySet,
)
from firma.petitions.models.tallies import Tally, TallyChange
from firma.petitions.models.versions import PetitionVersion

__all__ = [
    "COUNTED",
    "LISTED",
    "ConsentRecord",
    "ConsentWording",
    "Delivery",
    "DeliveryRecipient",
    "FieldSetting",
    "Invalidation",
    "Outcome",
    "Partner",
    "Petition",
    "PetitionQuerySet",
    "PetitionText",
    "PetitionVersion",
    "Question",
    "Response",
    "SentEmail",
    "Signature",
    "SignatureQuerySet",
    "Suppression",
    "Tally",
    "TallyChange",
    "Target",
]
