"""The rules for signing on behalf of an organisation: who signs as what, the organisation's
name, the signer's position in it and its website. Its country is rules.signer.country."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from firma.petitions.rules.signer import one_line

INDIVIDUAL = "individual"
ORGANISATION = "organisation"
SIGNING_AS = (INDIVIDUAL, ORGANISATION)

ORGANISATION_LENGTH = 200
POSITION_LENGTH = 120
WEBSITE_LENGTH = 255

MESSAGES = {
    "signing_as_invalid": _(
        "Please choose whether you sign as an individual or for an organisation."
    ),
    "organisation_required": _("Please enter the name of the organisation you sign for."),
    "organisation_length": _(
        "Please shorten the organisation's name to %(limit_value)d characters."
    ),
    "position_required": _("Please enter your position in the organisation."),
    "position_length": _("Please shorten your position to %(limit_value)d characters."),
    "website_invalid": _("Please enter the organisation's website, like https://example.org."),
    "website_length": _("Please shorten the website's address to %(limit_value)d characters."),
}

check_url = URLValidator(schemes=["http", "https"])


def signing_as(value: str) -> str:
    """`individual` (also when nothing is sent, as by the forms made before endorsements) or
    `organisation`."""
    choice = value.strip() or INDIVIDUAL
    if choice not in SIGNING_AS:
        raise ValidationError(MESSAGES["signing_as_invalid"], code="invalid_choice")
    return choice


def organisation_name(value: str) -> str:
    name = one_line(value)
    if not name:
        raise ValidationError(MESSAGES["organisation_required"], code="required")
    return limited_text(name, ORGANISATION_LENGTH, "organisation_length")


def position(value: str) -> str:
    text = one_line(value)
    if not text:
        raise ValidationError(MESSAGES["position_required"], code="required")
    return limited_text(text, POSITION_LENGTH, "position_length")


def website(value: str) -> str:
    """An http(s) address, "https://" assumed when no scheme is typed; "" when not given."""
    address = one_line(value)
    if not address:
        return ""
    limited_text(address, WEBSITE_LENGTH, "website_length")
    if "://" not in address:
        address = "https://" + address
    try:
        check_url(address)
    except ValidationError as error:
        raise ValidationError(MESSAGES["website_invalid"], code="invalid") from error
    return address


def limited_text(value: str, limit: int, message: str) -> str:
    if len(value) > limit:
        raise ValidationError(MESSAGES[message], code="max_length", params={"limit_value": limit})
    return value


def affiliation(organisation: str, job: str) -> str:
    """What lists of signers show for someone who signs for an organisation."""
    return f"{job}, {organisation}"
