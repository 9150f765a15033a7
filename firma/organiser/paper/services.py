"""Importing signatures collected on paper, from a CSV or XLSX file.

An import reads the file row by row in batches, so a large file never sits in memory: each row is
checked (a name is needed; the e-mail, country and date must make sense), e-mails seen twice in
the file or already among the petition's signatures are skipped, and the rows that pass become
confirmed signatures marked as paper ones, not listed publicly unless asked. The same run without
committing is the validation report shown before the import.

An upload waits in a private folder under the site's data directory (UPLOAD_DIR), which every
app process of the machine shares, between the steps; it is deleted by the import, by cancelling,
or after a day. An upload is refused before it is parsed when its uncompressed size or its
number of rows passes PAPER_IMPORT_MAX_BYTES or PAPER_IMPORT_MAX_ROWS.
"""

import codecs
import csv
import io
import re
import secrets
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries
from email_validator import EmailNotValidError, validate_email

from firma.core import events
from firma.organiser.audit.models import AuditEntry
from firma.petitions import counting
from firma.petitions.consents import services as consents
from firma.petitions.consents import wordings
from firma.petitions.consents.wordings import Choice, Consent
from firma.petitions.models import ConsentRecord, Petition, Signature
from firma.petitions.rules import mailboxes
from firma.petitions.rules import signer as rules
from firma.petitions.versions import services as versions

PAPER = ConsentRecord.Channel.PAPER

TARGETS = ["name", "organisation", "country", "email", "date", "comment"]
BATCH = 1000
KEEP_PROBLEMS = 500
UPLOAD_MAX_AGE = 24 * 3600
EXTENSIONS = (".csv", ".xlsx")
# Country names are accepted in these languages, besides the alpha-2 and alpha-3 codes.
COUNTRY_LANGUAGES = ["en", "es", "fr", "pt", "de", "it", "nl", "ca", "pl"]
DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


# The CSV dialect is guessed from this much text: csv.Sniffer's time grows fast with its sample.
SNIFF_CHARS = 4096


def uploads_folder() -> Path:
    return Path(settings.UPLOAD_DIR) / "paper"


def folder() -> Path:
    path = uploads_folder()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


class Upload:
    """A file waiting to be imported into one petition by one user."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def store(cls, petition: Petition, user_id: int, source, extension: str) -> "Upload":
        sweep()
        name = f"{petition.pk}-{user_id}-{secrets.token_urlsafe(16)}{extension}"
        path = folder() / name
        with path.open("wb") as file:
            for chunk in source.chunks():
                file.write(chunk)
        path.chmod(0o600)
        return cls(path)

    @classmethod
    def find(cls, petition: Petition, user_id: int, token: str) -> "Upload":
        """The user's upload for the petition: 404 for any other, or one already gone."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{22}", token):
            raise Http404
        for extension in EXTENSIONS:
            path = folder() / f"{petition.pk}-{user_id}-{token}{extension}"
            if path.exists():
                return cls(path)
        raise Http404

    @property
    def token(self) -> str:
        return self.path.stem.split("-", 2)[2]

    def table(self) -> "Table":
        return Table(self.path)

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)


def sweep() -> None:
    """Delete uploads abandoned for more than a day."""
    if not uploads_folder().exists():
        return
    limit = time.time() - UPLOAD_MAX_AGE
    for path in uploads_folder().iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


class Table:
    """The rows of a CSV or XLSX file, read lazily: the first row names the columns."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @property
    def is_xlsx(self) -> bool:
        return self.path.suffix.lower() == ".xlsx"

    def rows(self) -> Iterator[list[str]]:
        raw = self.xlsx_rows() if self.is_xlsx else self.csv_rows()
        for row in raw:
            yield [cell_text(value) for value in row]

    def headers(self) -> list[str]:
        first = next(self.rows(), [])
        headers = []
        for number, header in enumerate(first, start=1):
            header = header or _("Column %(number)d") % {"number": number}
            while header in headers:
                header += f" ({number})"
            headers.append(header)
        return headers

    def count(self) -> int:
        """Rows after the header (for a progress bar: a CSV's quoted line breaks count too)."""
        if self.is_xlsx:
            import openpyxl  # heavy: loaded by the first spreadsheet import, not at start-up

            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            try:
                return max((workbook.active.max_row or 1) - 1, 0)
            finally:
                workbook.close()
        lines, last = 0, b"\n"
        with self.path.open("rb") as file:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        if last != b"\n":
            lines += 1  # a last line without its line break
        return max(lines - 1, 0)

    def xlsx_rows(self) -> Iterator[tuple]:
        import openpyxl

        workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        try:
            yield from workbook.active.iter_rows(values_only=True)
        finally:
            workbook.close()

    def csv_rows(self) -> Iterator[list[str]]:
        with self.path.open("rb") as binary:
            sample = binary.read(64 * 1024)
            encoding = "utf-8-sig" if decodes(sample) else "cp1252"
            binary.seek(0)
            text = io.TextIOWrapper(binary, encoding=encoding, newline="", errors="replace")
            try:
                dialect = csv.Sniffer().sniff(sample_lines(text), delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            text.seek(0)
            yield from csv.reader(text, dialect)


def sample_lines(text: io.TextIOBase) -> str:
    """The first whole lines within SNIFF_CHARS (a cut line would mislead the sniffer)."""
    sample = text.read(SNIFF_CHARS)
    if len(sample) == SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    return sample


def decodes(sample: bytes) -> bool:
    """Whether `sample`, perhaps cut in the middle of a character, is UTF-8."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


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


@dataclass
class Problem:
    row: int
    code: str
    message: str
    value: str = ""


@dataclass
class Report:
    rows: int = 0
    accepted: int = 0
    committed: bool = False
    problems: list[Problem] = field(default_factory=list)
    by_code: Counter = field(default_factory=Counter)

    def add(self, problem: Problem) -> None:
        self.by_code[problem.code] += 1
        if len(self.problems) < KEEP_PROBLEMS:
            self.problems.append(problem)

    @property
    def codes(self) -> list[tuple[str, int]]:
        """(code, rows), for templates: they would read `by_code.items` as a key."""
        return sorted(self.by_code.items())

    @property
    def skipped(self) -> int:
        return self.rows - self.accepted

    @property
    def problem_count(self) -> int:
        return sum(self.by_code.values())

    def describe(self) -> str:
        parts = [f"{self.accepted} imported of {self.rows} rows"]
        parts += [f"{code}: {n}" for code, n in sorted(self.by_code.items())]
        return ", ".join(parts)


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


def run(
    petition: Petition,
    table: Table,
    mapping: dict[str, int],
    *,
    commit: bool,
    public: bool = False,
    user=None,
    filename: str = "",
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Check every row of `table`; with `commit`, import those that pass, in one transaction.

    `mapping` gives the column (0-based) of each target that the file has.
    """
    report = Report(committed=commit)
    with transaction.atomic():
        countries_added: Counter = Counter()
        seen: dict[str, int] = {}
        rows = table.rows()
        next(rows, None)  # the header
        batch = []
        for number, cells in enumerate(rows, start=2):
            if not any(cells):
                continue
            batch.append((number, cells))
            if len(batch) == BATCH:
                take(petition, batch, mapping, seen, report, commit, public, countries_added)
                batch = []
                if progress:
                    progress(report.rows)
        take(petition, batch, mapping, seen, report, commit, public, countries_added)
        if progress:
            progress(report.rows)
        if commit:
            counting.record_many((petition.pk, c, n) for c, n in countries_added.items())
            AuditEntry.objects.create(
                organisation_id=petition.organisation_id,
                petition=petition,
                user=user,
                action="paper_import",
                detail=f"{filename}: {report.describe()}"[:500],
            )
    report.problems.sort(key=lambda problem: problem.row)
    if commit:
        counting.forget(petition)
    return report


def take(petition, batch, mapping, seen, report, commit, public, countries_added) -> None:
    """Check one batch of rows, and create the signatures of those that pass if committing."""
    now = timezone.now()
    today = timezone.localdate()
    checked = []
    for number, cells in batch:
        report.rows += 1
        values = {
            target: cells[column] if column < len(cells) else ""
            for target, column in mapping.items()
        }
        fields, problems = check(values, today)
        email = fields["mailbox"]  # variants of one address are one person (rules.mailboxes)
        if email and not problems:
            if email in seen:
                problems.append(
                    (
                        "duplicate_in_file",
                        _("The same e-mail address is in row %(row)d.") % {"row": seen[email]},
                        email,
                    )
                )
            else:
                seen[email] = number
        for code, message, value in problems:
            report.add(Problem(number, code, message, value))
        if not problems:
            checked.append((number, fields))
    boxes = [fields["mailbox"] for _number, fields in checked if fields["mailbox"]]
    emails = [fields["email"] for _number, fields in checked if fields["email"]]
    found = Signature.objects.filter(petition=petition).filter(
        Q(mailbox__in=boxes) | Q(email__in=emails)
    )
    existing = {
        box
        for pair in found.values_list("mailbox", "email")
        for box in (pair[0], mailboxes.mailbox(pair[1]))
    }
    signatures = []
    for number, fields in checked:
        if fields["mailbox"] and fields["mailbox"] in existing:
            message = _("This e-mail address has already signed: skipped.")
            report.add(Problem(number, "duplicate_existing", message, fields["email"]))
            continue
        report.accepted += 1
        countries_added[fields["country"]] += 1
        signatures.append(paper_signature(petition, fields, now, public))
    if commit and signatures:
        version = versions.current(petition)  # the text the sheets were gathered for, as known
        for signature in signatures:
            signature.version = version
        Signature.objects.bulk_create(signatures, batch_size=BATCH)
        with translation.override(petition.default_language):  # the signatures' language
            shown = paper_consents(public)
        consents.record((signature, shown, PAPER) for signature in signatures)
        ids = [signature.pk for signature in signatures]
        events.signatures_added.send(Petition, petition=petition, signature_ids=ids)


def paper_consents(public: bool) -> list[Consent]:
    """What a paper signer agreed to, as the organisers state it for the whole upload."""
    return [
        Consent(Choice.PRIVACY, True, wordings.paper_privacy()),
        Consent(Choice.LISTING, public, wordings.paper_listing()),
    ]


def paper_signature(petition: Petition, fields: dict, now: datetime, public: bool) -> Signature:
    signed = now
    if fields["signed"] is not None:
        signed = timezone.make_aware(datetime.combine(fields["signed"], datetime.min.time()))
        signed = signed.replace(hour=12)  # midday: the day stays the same in nearby time zones
    return Signature(
        petition=petition,
        full_name=fields["full_name"],
        affiliation=fields["affiliation"],
        country=fields["country"],
        email=fields["email"],
        mailbox=fields["mailbox"],
        email_domain=fields["email"].rpartition("@")[2],
        comment=fields["comment"],
        language=petition.default_language,
        public=public,
        status=Signature.Status.CONFIRMED,
        created_at=signed,
        confirmed_at=signed,
        paper=True,
    )
