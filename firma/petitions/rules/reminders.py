"""When an unconfirmed signer is reminded: none, one or two reminders, in hours after signing.

Stored as text ("24", "24, 72" or "" for none) so the admin shows a plain field; the petition
file gives a TOML array (`reminder_hours = [24]`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT = "24"
MOST = 2

MESSAGES = {
    "not_hours": _("Give the hours as whole numbers separated by commas, like: 24, 72"),
    "too_many": _("At most %(most)d reminders."),
    "order": _("Each reminder must come after the one before."),
    "too_late": _(
        "A reminder must come before the confirmation link expires, after %(hours)d hours."
    ),
}


def link_hours() -> int:
    return settings.CONFIRMATION_MAX_AGE // 3600


def parse(text: str) -> list[int]:
    """The hours in `text`; raises ValidationError when they are not a valid schedule."""
    parts = [part.strip() for part in str(text).split(",") if part.strip()]
    if not all(part.isdigit() for part in parts):
        raise ValidationError(MESSAGES["not_hours"], code="not_hours")
    hours = [int(part) for part in parts]
    if len(hours) > MOST:
        raise ValidationError(MESSAGES["too_many"], code="too_many", params={"most": MOST})
    if any(hour < 1 for hour in hours) or hours != sorted(set(hours)):
        raise ValidationError(MESSAGES["order"], code="order")
    # A reminder is only useful while the link it repeats can still be used.
    if hours and hours[-1] >= link_hours():
        raise ValidationError(MESSAGES["too_late"], code="too_late", params={"hours": link_hours()})
    return hours


def validate(text: str) -> None:
    parse(text)


def normalise(text: str) -> str:
    return ", ".join(str(hour) for hour in parse(text))


def from_list(value: object) -> str:
    """A TOML array of whole numbers as the stored text; raises ValidationError otherwise."""
    # bool is an int to Python, not a number of hours to anyone writing a petition.
    if not isinstance(value, list) or any(
        isinstance(hour, bool) or not isinstance(hour, int) for hour in value
    ):
        raise ValidationError(
            _("reminder_hours must be an array of whole numbers of hours, like [24] or []."),
            code="not_a_list",
        )
    return normalise(", ".join(str(hour) for hour in value))
