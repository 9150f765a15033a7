from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException


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
