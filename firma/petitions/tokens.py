"""Signed, expiring confirmation tokens: the only secret in a confirmation link."""

from django.conf import settings
from django.core import signing

from .models import Signature

SALT = "firma.petitions.confirm"


def confirmation_token(signature: Signature) -> str:
    return signing.dumps(signature.pk, salt=SALT)


def signature_for_token(token: str) -> Signature | None:
    """The signature a confirmation link is for, or None if the link was never valid.

    Raises signing.SignatureExpired for a link older than CONFIRMATION_MAX_AGE.
    """
    try:
        signature_id = signing.loads(token, salt=SALT, max_age=settings.CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    return Signature.objects.select_related("petition").filter(pk=signature_id).first()
