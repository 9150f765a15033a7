"""The checks of one row of a paper import: a name is needed; the e-mail, country and date must
make sense. Country names are recognised in several languages, dates in two orders."""

import re
import unicodedata
from datetime import date
from functools import cache

from babel import Locale
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries
from email_validator import EmailNotValidError, validate_email

from firma.petitions.rules import mailboxes
from firma.petitions.rules import signer as rules

# The fields a column of the file can be mapped to.
TARGETS = ["name", "organisation", "country", "email", "date", "comment"]
# Country names are accepted in these languages, besides the alpha-2 and alpha-3 codes.
COUNTRY_LANGUAGES = ["en", "es", "fr", "pt", "de", "it", "nl", "ca", "pl"]
DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def fold(text: str) -> str:
    """Lower case, without accents, dots or extra spaces: how country names are compared."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[.,'\u2019()]", " ", text).split())


@cache
def country_lookup() -> dict[str, str]:
    names: dict[str, str] = {}
    codes = [code for code, _name in countries]
    for language in COUNTRY_LANGUAGES:
        territories = Locale.parse(language).territories
        for code in codes:
            if code in territories:
                names.setdefault(fold(territories[code]), code)
        with translation.override(language):
            for code, name in countries:
                names.setdefault(fold(str(name)), code)
    for code in codes:
        names[fold(code)] = code
        names[fold(countries.alpha3(code))] = code
    return names


def find_country(text: str) -> str | None:
    return country_lookup().get(fold(text))


def parse_date(text: str) -> date | None:
    if match := ISO.match(text):
        year, month, day = match.groups()
    elif match := DMY.match(text):
        day, month, year = match.groups()
        if len(year) == 2:
            year = "20" + year
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def check(values: dict[str, str], today: date) -> tuple[dict, list[tuple[str, str, str]]]:
    """The signature fields of one row, and its problems as (code, message, value)."""
    problems = []
    # The signing form's rules for text: no control, bidirectional or zero-width characters.
    name = rules.one_line(values.get("name", ""))
    if not name:
        problems.append(("missing_name", _("The name is missing."), ""))
    elif len(name) > 120:
        problems.append(("name_too_long", _("The name is longer than 120 characters."), name))
    email = ""
    if values.get("email"):
        try:
            email = validate_email(values["email"], check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            problems.append(("bad_email", _("The e-mail address is not valid."), values["email"]))
    country = ""
    if values.get("country"):
        country = find_country(values["country"]) or ""
        if not country:
            problems.append(("unknown_country", _("Unknown country."), values["country"]))
    signed = today
    if values.get("date"):
        signed = parse_date(values["date"])
        if signed is None:
            problems.append(("bad_date", _("The date is not valid."), values["date"]))
        elif signed > today:
            problems.append(("future_date", _("The date is in the future."), values["date"]))
    fields = {
        "full_name": name,
        "email": email,
        "mailbox": mailboxes.mailbox(email),
        "country": country,
        "affiliation": rules.one_line(values.get("organisation", ""))[:200],
        "comment": rules.tidy(values.get("comment", ""))[:1000],
        "signed": signed if values.get("date") else None,
    }
    return fields, problems
