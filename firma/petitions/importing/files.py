"""Reading a petition file: its TOML front matter, as the form's data, and its Markdown body."""

import re
import tomllib
from pathlib import Path

FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*$\r?\n?(.*)\Z", re.S | re.M)

# Front-matter key -> form field, for the keys inside tables.
TABLE_KEYS = {
    "donation.holder": "donation_holder",
    "donation.iban": "donation_iban",
    "donation.bic": "donation_bic",
    "donation.reference": "donation_reference",
    "donation.cbu": "donation_cbu",
    "donation.alias": "donation_alias",
    "donation.amounts": "donation_amounts",
    "donation.currency": "donation_currency",
    "donation.note": "donation_note",
    "fields.organization": "organization_field",
    "fields.country": "country_field",
    "fields.comment": "comment_field",
}
TOP_KEYS = {
    "slug",
    "title",
    "language",
    "default_language",
    "goal",
    "status",
    "closes_on",
    "deliver_at",
    "auto_deliver",
    "response_days",
    "deliver_unlisted_names",
    "reminder_hours",
}
# Keys of the file's language only, beside its title and body.


class PetitionFileError(Exception):
    pass


def read_petition_file(path: Path) -> dict:
    """The file's front matter as form data, with the Markdown body under "body"."""
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PetitionFileError(f"{path}: cannot read the file: {error}") from error
    match = FRONT_MATTER.match(content)
    if not match:
        raise PetitionFileError(
            f"{path}: the file must start with TOML front matter between +++ lines"
        )
    front, body = match.groups()
    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        raise PetitionFileError(f"{path}: invalid TOML in the front matter: {error}") from error

    data = {"body": body.strip()}
    for key, value in meta.items():
        if key in ("targets", "questions", "partners"):
            data[key] = value
        elif isinstance(value, dict):
            for subkey, subvalue in value.items():
                name = TABLE_KEYS.get(f"{key}.{subkey}")
                if name is None:
                    raise PetitionFileError(f"{path}: unknown key '{key}.{subkey}'")
                data[name] = subvalue
        elif key in TOP_KEYS:
            data[key] = value
        else:
            raise PetitionFileError(f"{path}: unknown key '{key}'")
    return data
