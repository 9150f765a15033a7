"""Whether an e-mail address's domain receives mail: a DNS question, cached for a day."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from email_validator import EmailUndeliverableError
from email_validator.deliverability import validate_email_deliverability

from firma.petitions.rules.signer import domain_of


def deliverable(email: str) -> str:
    """The address, once its domain is known to receive mail, when the site asks for that
    (EMAIL_CHECK_DELIVERABILITY)."""
    if settings.EMAIL_CHECK_DELIVERABILITY and not accepts_mail(domain_of(email)):
        raise ValidationError(
            _("The domain of this e-mail address does not receive e-mail. Please check it."),
            code="undeliverable",
        )
    return email


def accepts_mail(domain: str) -> bool:
    """The domain has a mail server (MX, or A/AAAA as a fallback). Cached for a day.

    A DNS failure or timeout lets the address through: a slow resolver must not stop people
    from signing, and the confirmation e-mail proves the address anyway.
    """
    key = f"mx:{domain}"
    known = cache.get(key)
    if known is None:
        try:
            validate_email_deliverability(domain, domain, timeout=settings.EMAIL_DNS_TIMEOUT)
            known = True
        except EmailUndeliverableError:
            known = False
        except Exception:
            return True
        cache.set(key, known, timeout=24 * 3600)
    return known
