"""Signed, expiring tokens: the only secret in the links e-mailed to a signer."""

from django.conf import settings
from django.core import signing

from firma.petitions.models import Signature

SALT = "firma.petitions.confirm"
# A different salt, so a confirmation link can never open the self-service page or back.
SELF_SERVICE_SALT = "firma.petitions.self-service"


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


def self_service_token(signature: Signature) -> str:
    return signing.dumps(signature.pk, salt=SELF_SERVICE_SALT)


def signature_for_self_service_token(token: str) -> Signature | None:
    """The signature a private self-service link is for, or None if the link was never valid.

    Raises signing.SignatureExpired for a link older than SELF_SERVICE_MAX_AGE.
    """
    try:
        signature_id = signing.loads(
            token, salt=SELF_SERVICE_SALT, max_age=settings.SELF_SERVICE_MAX_AGE
        )
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    return Signature.objects.select_related("petition").filter(pk=signature_id).first()


# The unsubscribe link in every update, and in its List-Unsubscribe header, which mail programs
# may fetch by themselves: it only switches news off, so it opens nothing else (its own salt) and
# does not expire (an old update must still unsubscribe).
UNSUBSCRIBE_SALT = "firma.petitions.self_service.unsubscribe"


def unsubscribe_token(signature: Signature) -> str:
    return signing.dumps(signature.pk, salt=UNSUBSCRIBE_SALT)


def signature_for_unsubscribe_token(token: str) -> Signature | None:
    """The signature an unsubscribe link is for, or None if the link was never valid."""
    try:
        signature_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Signature.objects.select_related("petition").filter(pk=signature_id).first()


# The "this wasn't me" link in every confirmation e-mail: it can only disown a pending signature,
# so it has its own salt and lives as long as any link to confirm it.
NOT_ME_SALT = "firma.petitions.not-me"


def not_me_token(signature: Signature) -> str:
    return signing.dumps(signature.pk, salt=NOT_ME_SALT)


def signature_for_not_me_token(token: str) -> Signature | None:
    """The signature a "this wasn't me" link is for, or None if the link was never valid.

    Raises signing.SignatureExpired for a link older than CONFIRMATION_MAX_AGE.
    """
    try:
        signature_id = signing.loads(token, salt=NOT_ME_SALT, max_age=settings.CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    return Signature.objects.select_related("petition").filter(pk=signature_id).first()
