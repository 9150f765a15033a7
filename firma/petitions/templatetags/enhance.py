"""What enhance.js needs from the server: where to read the count, and the form's messages."""

import json

from babel import Locale
from django import template
from django.forms import Form
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext, npgettext

from firma.petitions.models import Petition
from firma.petitions.rules.signer import MESSAGES

register = template.Library()

# The rules' name for each field of the signing form (rules/signer.py, MESSAGES).
RULE_NAMES = {
    "full_name": "name",
    "organization": "affiliation",
    "country": "country",
    "email": "email",
    "comment": "comment",
}


@register.simple_tag
def count_url(petition: Petition) -> str:
    """The API address that enhance.js polls for the live count; empty without the API."""
    try:
        return reverse("api:petition", kwargs={"slug": petition.slug})
    except NoReverseMatch:
        return ""


@register.simple_tag
def signature_words() -> str:
    """ "signature" or "signatures" for each plural category of the page's language, as JSON.

    enhance.js picks the one for a new count with the browser's Intl.PluralRules, which knows
    the same categories (Unicode CLDR): Arabic has six, English two.
    """
    rule = Locale.parse(get_language(), sep="-").plural_form
    words = {}
    # The smallest example of each category, zero last: it is a category of its own in few
    # languages, while "1" is the example that every language's "one" shares.
    for number in [*range(1, 1000), 0]:
        category = rule(number)
        if category not in words:
            words[category] = npgettext("number of signatures", "signature", "signatures", number)
    return json.dumps(words, ensure_ascii=False)


@register.simple_tag
def validation_messages(form: Form) -> dict:
    """The form's own error messages, in the page's language, for validation in the browser.

    Keyed by the input's id, then by the browser's name for the problem (ValidityState), so the
    browser says exactly what the server would.
    """
    fields = {}
    for field in form.visible_fields():
        messages = {}
        rule = RULE_NAMES.get(field.name)
        if field.field.required:
            required = MESSAGES.get(f"{rule}_required") or field.field.error_messages["required"]
            messages["valueMissing"] = str(required)
        if field.name == "email":
            messages["typeMismatch"] = str(MESSAGES["email_invalid"])
        if messages:
            fields[field.auto_id] = messages
    return {"summary": gettext("Please check the form"), "fields": fields}
