"""The donation details' rules: what an IBAN, a BIC, a CBU, an alias, a currency and a list of
amounts must look like, and their stored form. Pure functions, no model."""

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import is_currency
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.ar import cbu
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.util import clean


def validate_iban(value: str) -> None:
    try:
        IBAN(value)
    except SchwiftyException as error:
        raise ValidationError(
            _("Invalid IBAN: %(reason)s"), code="invalid_iban", params={"reason": error}
        ) from error


def validate_bic(value: str) -> None:
    try:
        BIC(value)
    except SchwiftyException as error:
        raise ValidationError(
            _("Invalid BIC: %(reason)s"), code="invalid_bic", params={"reason": error}
        ) from error


def validate_cbu(value: str) -> None:
    """An Argentine CBU (bank account) or CVU (payment account): both share the check digits."""
    try:
        cbu.validate(value)
    except StdnumValidationError as error:
        raise ValidationError(
            _("Invalid CBU/CVU: %(reason)s"), code="invalid_cbu", params={"reason": error}
        ) from error


# An alias stands for a CBU or CVU in Argentine banking apps: what the banks accept.
ALIAS = re.compile(r"[A-Za-z0-9.-]+")


def validate_alias(value: str) -> None:
    if not 6 <= len(value) <= 20:
        raise ValidationError(
            _("Invalid alias: it must have 6 to 20 characters, not %(length)d."),
            code="invalid_alias_length",
            params={"length": len(value)},
        )
    if not ALIAS.fullmatch(value):
        raise ValidationError(
            _("Invalid alias: only letters, digits, “.” and “-” are allowed."),
            code="invalid_alias_characters",
        )


def validate_currency(value: str) -> None:
    if not is_currency(value.strip().upper()):
        raise ValidationError(
            _("Unknown currency “%(code)s”: use an ISO 4217 code such as EUR."),
            code="unknown_currency",
            params={"code": value},
        )


# What a bank transfer can carry: cents, and the EPC QR code's ceiling.
MAX_AMOUNT = Decimal("999999999.99")


def parse_amounts(value: str) -> list[Decimal]:
    """The suggested amounts in "10, 25.50, 50": positive, in cents at most, in order."""
    amounts = []
    for item in value.replace(";", ",").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            amount = Decimal(item)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            raise ValidationError(
                _("Invalid amount “%(amount)s”: it is not a number."),
                code="invalid_amount",
                params={"amount": item},
            )
        if amount <= 0:
            raise ValidationError(
                _("Invalid amount %(amount)s: amounts must be positive."),
                code="amount_not_positive",
                params={"amount": item},
            )
        if amount > MAX_AMOUNT:
            raise ValidationError(
                _("Invalid amount %(amount)s: amounts must be at most %(max)s."),
                code="amount_too_large",
                params={"amount": item, "max": MAX_AMOUNT},
            )
        if amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(
                _("Invalid amount %(amount)s: amounts have at most two decimals."),
                code="amount_decimals",
                params={"amount": item},
            )
        amounts.append(amount)
    return amounts


def validate_amounts(value: str) -> None:
    parse_amounts(value)


# SEPA transfers and their QR code are in euros only.
EURO = "EUR"
DEFAULT_CURRENCY = EURO


def compact_code(value: str) -> str:
    """An IBAN or a BIC without spaces, upper-cased: how banks and the EPC QR code want it."""
    return "".join(value.split()).upper()


def compact_cbu(value: str) -> str:
    return cbu.compact(value)


def normalise_alias(value: str) -> str:
    return value.strip()


def normalise_currency(value: str) -> str:
    return clean(value, " ").upper() or DEFAULT_CURRENCY


def format_amount(amount: Decimal) -> str:
    """10 for whole amounts, 10.50 otherwise: how people write money."""
    return str(int(amount)) if amount == amount.to_integral_value() else f"{amount:.2f}"


def normalise_amounts(value: str) -> str:
    """ "50;10, 25.5, 10" -> "10, 25.50, 50". A value that does not parse is left for the
    validators to refuse."""
    try:
        amounts = parse_amounts(value)
    except ValidationError:
        return value
    return ", ".join(format_amount(amount) for amount in sorted(set(amounts)))
