"""The private links in a delivery e-mail: one to the signatures document, one to answer.

Each carries the DeliveryRecipient's id, signed with its own salt, so that one link never opens
the other's page, and expires after DELIVERY_LINK_MAX_AGE: long enough for a ministry to answer.
"""

from django.conf import settings
from django.core import signing

from firma.petitions.models import DeliveryRecipient

RESPOND_SALT = "firma.petitions.outreach.respond"
DOCUMENT_SALT = "firma.petitions.outreach.document"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def respond_token(recipient: DeliveryRecipient) -> str:
    return signing.dumps(recipient.pk, salt=RESPOND_SALT)


def document_token(recipient: DeliveryRecipient) -> str:
    return signing.dumps(recipient.pk, salt=DOCUMENT_SALT)


def recipient_id(token: str, salt: str) -> int:
    """The DeliveryRecipient id a link carries. Raises LinkExpired or LinkInvalid."""
    try:
        found = signing.loads(token, salt=salt, max_age=settings.DELIVERY_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(found, int):
        raise LinkInvalid
    return found
