from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency
from django import template
from django.utils.translation import get_language, to_locale

from firma.petitions import donations
from firma.petitions.models import Petition

register = template.Library()


@register.simple_tag
def giro_code(petition: Petition) -> donations.GiroCode | None:
    """The EPC QR code for the petition's account, or None where it does not apply."""
    return donations.giro_code(petition)


@register.simple_tag
def money(amount: Decimal, currency: str) -> str:
    """An amount as the reader's language writes it: "€10", "10 €", "€ 10,50"."""
    locale = Locale.parse(to_locale(get_language() or "en"))
    pattern = locale.currency_formats["standard"].pattern
    if amount == amount.to_integral_value():
        # No ",00" after whole amounts: "10 €" reads better than "10,00 €" in a suggestion.
        return format_currency(
            amount,
            currency,
            locale=locale,
            format=pattern.replace("0.00", "0"),
            currency_digits=False,
        )
    return format_currency(amount, currency, locale=locale)
