"""Petitions from Markdown files with TOML front matter, the format of `import_petition`.

    +++
    slug = "clean-water"
    title = "Clean water for every school"
    language = "en"
    goal = 10000             # optional
    status = "open"          # optional: draft, open or closed
    closes_on = 2027-06-30   # optional
    deliver_at = 50000       # optional: the organisers are told when the count reaches it
    auto_deliver = false     # optional: then deliver by e-mail by itself
    response_days = 30       # optional: days the targets have to answer after a delivery
    deliver_unlisted_names = false  # optional: give targets the names of unlisted signers too

    [[targets]]              # optional, one table per target, in order
    name = "Ana Pérez"
    role = "Minister of Security"   # in this file's language
    email = "minister@example.gov"  # optional: needed to deliver by e-mail
    country = "AR"                  # optional
    reminder_hours = [24]    # optional: hours after signing to remind the unconfirmed; [] for none

    [[questions]]            # optional, one table per question of the form, in order (ten at most)
    key = "workplace"        # the form field q_workplace, the export column, the API's key
    kind = "short_text"      # short_text, long_text, choice, choices, checkbox, number,
                             # postal_code or phone
    label = "Where do you work?"    # in this file's language
    help_text = "Your employer."    # optional, in this file's language
    required = false         # optional
    public = false           # optional: shown beside the name in the public list
    choices = ["A", "B"]     # for choice and choices, in this file's language
    [[partners]]             # optional, one table per partner organisation, in order
    slug = "union-b"                # an organisation on this site; or, for an outside one:
    name = "Friends of the Earth"   # its name (the site's organisation's name by default)
    website = "https://foe.example"            # optional
    privacy_url = "https://foe.example/privacy"  # needed when opt_in is true
    opt_in = true                   # optional: offer signers its own "keep me informed" box

    [fields]                 # optional: required, optional or hidden
    organization = "optional"

    [donation]               # optional
    holder = "Friends of Clean Water"
    iban = "DE89 3704 0044 0532 0130 00"
    bic = "COBADEFFXXX"
    reference = "Clean water"
    cbu = "2850590940090418135201"  # or a CVU; for donations from Argentina
    alias = "agua.limpia"
    amounts = [10, 25, 50]   # suggested
    currency = "EUR"         # of the amounts; EUR by default
    note = "Every euro goes to the schools."  # in this file's language
    +++
    The petition's text, in Markdown.

Keys other than slug, title, language, donation.note and the body apply to the petition in
every language; a key left out keeps its current value.

Targets: the file in the petition's default language names them, and replaces the list (a
target keeps its translations when its name stays the same). A translation file may give each
target's `role` in its language: its `[[targets]]` tables are matched to the targets by order,
and may repeat the `name` to make that order checked; `email` and `country` belong in the
default language's file only.

Questions: the file in the default language lists them all, and replaces them (a question
keeps its translations while its key stays; one left out leaves the form, but its answers are
kept). A translation file's `[[questions]]` tables give `key` and the question's `label`,
`help_text` and `choices` in its language (choices in the same order).
Partners: any file that gives `[[partners]]` replaces the list; a partner keeps its logo, its
signatures and its signers' consents when its slug (the organisation's, or one made from its
name) stays. Logos are uploaded in the workspace.
"""

from pathlib import Path

from firma.petitions.importing.files import TABLE_KEYS, PetitionFileError, read_petition_file
from firma.petitions.importing.forms import PetitionFileForm
from firma.petitions.models import Petition
from firma.petitions.outreach.services import TargetsError
from firma.petitions.partners.services import PartnersError

__all__ = ["PetitionFileError", "import_petition_file"]


def import_petition_file(path: Path) -> tuple[Petition, bool]:
    form = PetitionFileForm(read_petition_file(path))
    if not form.is_valid():
        key_for = {name: key for key, name in TABLE_KEYS.items()}
        problems = [
            f"{path}: key '{key_for.get(name, name)}': {' '.join(messages)}"
            for name, messages in form.errors.items()
        ]
        raise PetitionFileError("\n".join(problems))
    try:
        return form.save()
    except TargetsError as error:
        raise PetitionFileError(f"{path}: key 'targets': {error}") from error
    except PartnersError as error:
        raise PetitionFileError(f"{path}: key 'partners': {error}") from error
