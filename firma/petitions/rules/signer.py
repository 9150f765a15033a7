"""The rules for what a signer submits: name, affiliation, country, e-mail address, comment,
the consents, the channel that brought them, and what the form carries besides (its timer, the
honeypot, the embedded form's token)."""

import re
import time
import unicodedata

from disposable_email_domains import blocklist as disposable_domains
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from email_validator import EmailNotValidError, validate_email

NAME_LENGTH = 120
AFFILIATION_LENGTH = 200
EMAIL_LENGTH = 254
COMMENT_LENGTH = 1000
SOURCE_LENGTH = 40

TIMER_SALT = "firma.petitions.form-timer"
EMBED_TOKEN_SALT = "firma.petitions.embed-form"
EMBED_TOKEN_MAX_AGE = 24 * 3600

COUNTRY_CODES = frozenset(countries.countries)
NOT_IN_SOURCE = re.compile(r"[^a-z0-9_-]")
# A DNS host name: letters, digits and hyphens in dot-separated labels, with a top-level domain.
HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")

MESSAGES = {
    "name_required": _("Please enter your name."),
    "name_length": _("Please shorten your name to %(limit_value)d characters."),
    "affiliation_required": _("Please enter your organisation, position or occupation."),
    "affiliation_length": _("Please shorten this to %(limit_value)d characters."),
    "country_required": _("Please choose your country or territory."),
    "country_invalid": _("Please choose a country or territory from the list."),
    "email_required": _("Please enter your e-mail address."),
    "email_length": _("This e-mail address is too long."),
    "email_invalid": _("Please enter a valid e-mail address, like name@example.org."),
    "email_disposable": _(
        "Please use a permanent e-mail address: we cannot confirm signatures "
        "from disposable addresses."
    ),
    "comment_required": _("Please write a comment."),
    "comment_length": _("Please shorten your comment to %(limit_value)d characters."),
    "embed_token": _("This form was open for too long. Please check it and send it again."),
}


# Characters that change how the text around them is shown without being seen: bidirectional
# embeddings, overrides and isolates (a name that reads "Ana" but sorts and searches as another),
# and zero-width spaces. The zero-width joiner and non-joiner (U+200D, U+200C) stay: Arabic and
# Indic scripts need them to write some names correctly.
INVISIBLE = frozenset(
    [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200b", "\ufeff"]
)


def tidy(text: str) -> str:
    """NFC-normalise and drop control characters, bidirectional controls and zero-width spaces,
    keeping line breaks."""
    text = unicodedata.normalize("NFC", text)
    return "".join(
        char
        for char in text
        if char in "\n\t"
        or (char not in INVISIBLE and unicodedata.category(char) not in {"Cc", "Cs", "Co", "Cn"})
    ).strip()


def one_line(text: str) -> str:
    return " ".join(tidy(text).split())


def limited(value: str, limit: int, message: str) -> str:
    if len(value) > limit:
        raise ValidationError(MESSAGES[message], code="max_length", params={"limit_value": limit})
    return value


def full_name(value: str) -> str:
    name = one_line(value)
    if not name:
        raise ValidationError(MESSAGES["name_required"], code="required")
    return limited(name, NAME_LENGTH, "name_length")


def affiliation(value: str, required: bool = False) -> str:
    """The signer's organisation, position or occupation."""
    text = one_line(value)
    if required and not text:
        raise ValidationError(MESSAGES["affiliation_required"], code="required")
    return limited(text, AFFILIATION_LENGTH, "affiliation_length")


def country(value: str, required: bool = False) -> str:
    """An ISO 3166 alpha-2 code from django-countries' list, or "" when not given."""
    code = value.strip()
    if not code:
        if required:
            raise ValidationError(MESSAGES["country_required"], code="required")
        return ""
    if code not in COUNTRY_CODES:
        raise ValidationError(MESSAGES["country_invalid"], code="invalid_choice")
    return code


def comment(value: str, required: bool = False) -> str:
    text = tidy(value)
    if required and not text:
        raise ValidationError(MESSAGES["comment_required"], code="required")
    return limited(text, COMMENT_LENGTH, "comment_length")


def email(value: str) -> str:
    """The address in its normal form and lower case; a throwaway provider's is refused.

    Whether the domain receives mail is a network question, answered by
    firma.petitions.defences.addresses, not here.
    """
    value = value.strip()
    if not value:
        raise ValidationError(MESSAGES["email_required"], code="required")
    limited(value, EMAIL_LENGTH, "email_length")
    try:
        address = validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationError(MESSAGES["email_invalid"], code="invalid") from error
    normalised = address.normalized.lower()
    if is_disposable(domain_of(normalised)):
        raise ValidationError(MESSAGES["email_disposable"], code="disposable")
    return normalised


def domain_of(address: str) -> str:
    return address.rpartition("@")[2]


def is_disposable(domain: str) -> bool:
    """The domain or one of its parents is a known throwaway-address provider."""
    parts = domain.split(".")
    candidates = {".".join(parts[i:]) for i in range(len(parts) - 1)}
    return any(
        domain in disposable_domains or domain in settings.DISPOSABLE_EMAIL_DOMAINS
        for domain in candidates
    )


def source(value: str) -> str:
    """A channel tag as the statistics group it: lower case, [a-z0-9_-], 40 characters at most."""
    return NOT_IN_SOURCE.sub("", value.strip().lower())[:SOURCE_LENGTH]


def host(value: str) -> str:
    """A host name in lower case and ASCII (IDNA), or "" when `value` is not one."""
    name = value.strip().lower().rstrip(".")
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    labels = name.split(".")
    if len(name) > 253 or len(labels) < 2 or labels[-1].isdigit():
        return ""  # single labels ("localhost") and IPv4 addresses are not sites to credit
    if not all(HOST_LABEL.fullmatch(label) for label in labels):
        return ""
    return name


def checked(value: str | None) -> bool:
    """A checkbox's answer as browsers and partner forms send it: absent, empty, "false" or
    "0" is no, anything else yes."""
    return bool(value) and value.strip().lower() not in {"", "false", "0"}


def caught_by_honeypot(value: str) -> bool:
    """Something in the field people never see: only a bot filling in every input does that."""
    return bool(value.strip())


def timer() -> str:
    """The form's timer, signed when the form is shown."""
    return signing.dumps(time.time(), salt=TIMER_SALT)


def fill_time(started: str) -> tuple[int | None, list[str]]:
    """How many seconds the form took to fill, from its timer, and the flags that says.

    Bots are recorded, not told: neither a missing timer nor a form sent too fast is an error.
    """
    try:
        seconds = max(0, int(time.time() - float(signing.loads(started.strip(), salt=TIMER_SALT))))
    except (signing.BadSignature, TypeError, ValueError):
        return None, ["no_timer"]
    return seconds, ["too_fast"] if seconds < settings.SIGNING_MIN_FILL_SECONDS else []


def embed_token(petition_id: int) -> str:
    """The embedded form's token: names the petition the form was shown for."""
    return signing.dumps(petition_id, salt=EMBED_TOKEN_SALT)


def embed_petition(token: str, petition_id: int) -> None:
    """The embedded form was shown for this petition, recently."""
    try:
        named = signing.loads(token.strip(), salt=EMBED_TOKEN_SALT, max_age=EMBED_TOKEN_MAX_AGE)
    except signing.BadSignature:
        named = None
    if named != petition_id:
        raise ValidationError(MESSAGES["embed_token"], code="embed_token")
