"""Downloads of confirmed signatures for delivery: CSV, XLSX and PDF, whatever their number.

Memory stays flat: the rows come from `.values_list()` in chunks, the CSV is streamed as it is
written, and the XLSX (and the PDF, see pdf/) are written to a temporary file that is then
streamed and deleted.

Only confirmed, valid signatures are exported. Signers who did not choose to be listed, or whom a
moderator hid, count and appear, but as "not listed" (no name, organisation or comment), unless the
export is internal. E-mail addresses are in internal exports only.

Who may export: a viewer of the petition may download the public version, which shows no more
than the public list does; an internal export holds personal data of every signer, and needs the
moderator role, which roles.py gives the right to export signatures.

Every cell is text, and text that a spreadsheet would run as a formula gets a leading quote.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from django.db.models import Q, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django_countries import countries

from firma.petitions.models import ConsentRecord, Petition, Question, Signature
from firma.petitions.questions.display import as_text
from firma.petitions.questions.selectors import answered
from firma.tenancy.roles import MODERATOR

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000
INTERNAL_ROLE = MODERATOR

# What each row is read as: one tuple per signature, never a model instance.
FIELDS = [
    "pk",
    "petition__slug",
    "full_name",
    "affiliation",
    "country",
    "email",
    "comment",
    "comment_hidden",
    "public",
    "hidden",
    "news_opt_in",
    "organisation_news",
    "language",
    "created_at",
    "confirmed_at",
    "source",
    "paper",
    "kind",
    "organisation_name",
    "organisation_position",
    "organisation_website",
    "verification",
    "answers",
    "partner__slug",
]
NOT_LISTED = gettext_lazy("not listed")


def neutralise(value: object) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def when(value: datetime | None, zone: tzinfo) -> str:
    return value.astimezone(zone).isoformat() if value else ""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable
    private: bool = False  # in internal exports only


@dataclass(frozen=True)
class Context:
    """What the columns read once per export rather than once per row."""

    country_names: dict[str, str]
    zone: tzinfo
    # The slugs of the partners each signature's signer consents to hear from, by its id.
    partner_consents: dict[int, str] = field(default_factory=dict)

    @classmethod
    def now(cls, signatures: QuerySet | None = None) -> "Context":
        consents = partner_consents(signatures) if signatures is not None else {}
        return cls(dict(countries), timezone.get_current_timezone(), consents)


def partner_consents(signatures: QuerySet) -> dict[int, str]:
    """For each of `signatures` whose signer's last word to some partner is yes, those
    partners' slugs. One pass over the partner records, which only coalitions have."""
    records = (
        ConsentRecord.objects.filter(
            choice=ConsentRecord.Choice.PARTNER, signature__in=signatures.values("pk")
        )
        .order_by("created_at", "pk")
        .values_list("signature_id", "partner__slug", "given")
    )
    latest: dict[tuple[int, str], bool] = {}
    for signature, partner, given in records.iterator(chunk_size=CHUNK):
        latest[(signature, partner)] = given
    found: dict[int, list[str]] = {}
    for (signature, partner), given in latest.items():
        if given:
            found.setdefault(signature, []).append(partner)
    return {signature: " ".join(sorted(slugs)) for signature, slugs in found.items()}


# The header row uses the keys: a program reading the file finds the same names in any language.
COLUMNS = [
    Column("petition", gettext_lazy("Petition"), lambda s, c: s.petition__slug),
    Column("full_name", gettext_lazy("Name"), lambda s, c: s.full_name),
    Column("organization", gettext_lazy("Organisation / position"), lambda s, c: s.affiliation),
    Column("kind", gettext_lazy("Signing as"), lambda s, c: s.kind),
    Column(
        "organisation_name",
        gettext_lazy("Endorsing organisation"),
        lambda s, c: s.organisation_name,
    ),
    Column(
        "organisation_position",
        gettext_lazy("Position in the organisation"),
        lambda s, c: s.organisation_position,
    ),
    Column(
        "organisation_website",
        gettext_lazy("Organisation's website"),
        lambda s, c: s.organisation_website,
    ),
    Column(
        "verification",
        gettext_lazy("Endorsement verification"),
        lambda s, c: s.verification if s.kind == Signature.Kind.ORGANISATION else "",
    ),
    Column("country", gettext_lazy("Country code"), lambda s, c: s.country),
    Column(
        "country_name",
        gettext_lazy("Country"),
        lambda s, c: c.country_names.get(s.country, s.country),
    ),
    Column("email", gettext_lazy("E-mail (internal exports only)"), lambda s, c: s.email),
    Column("language", gettext_lazy("Language"), lambda s, c: s.language),
    Column("signed_at", gettext_lazy("Signed"), lambda s, c: when(s.created_at, c.zone)),
    Column("confirmed_at", gettext_lazy("Confirmed"), lambda s, c: when(s.confirmed_at, c.zone)),
    Column("comment", gettext_lazy("Comment"), lambda s, c: s.comment),
    Column("source", gettext_lazy("Source"), lambda s, c: s.source),
    Column("paper", gettext_lazy("Paper signature"), lambda s, c: yes_no(s.paper)),
    Column(
        "listed_publicly",
        gettext_lazy("Listed"),
        lambda s, c: yes_no(s.public and not s.hidden),
    ),
    Column("wants_news", gettext_lazy("Wants news"), lambda s, c: yes_no(s.news_opt_in)),
    Column(
        "wants_organisation_news",
        gettext_lazy("Wants the organisers' other news"),
        lambda s, c: yes_no(s.organisation_news),
    ),
    Column("partner", gettext_lazy("Brought by partner"), lambda s, c: s.partner__slug or ""),
    Column(
        "partner_consents",
        gettext_lazy("Consents to hear from partners"),
        lambda s, c: c.partner_consents.get(s.pk, ""),
        private=True,
    ),
]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
DEFAULT_COLUMNS = ["full_name", "organization", "country_name", "signed_at"]
PRIVATE_COLUMNS = {"email"}


def masked(row, internal: bool, not_listed: str):
    """The row as the export may show it: without a name for signers who are not listed."""
    if internal:
        return row
    if not row.public or row.hidden:
        return row._replace(
            full_name=not_listed,
            affiliation="",
            comment="",
            organisation_position="",
            answers={},
        )
    if row.comment_hidden:
        return row._replace(comment="")
    return row


# The petitions' own questions: a column each (q_<key>), after the fixed ones. A removed
# question keeps its column while answers to it are kept; a private one is internal only.


def answer_column(question: Question) -> Column:
    label = question.label
    if question.removed_at:
        label = gettext("%(question)s (removed from the form)") % {"question": label}
    return Column(
        question.field_name,
        label,
        lambda s, c: as_text(s.answers.get(question.key)),
        private=not question.public,
    )


def question_columns(petitions: Iterable[Petition]) -> list[Column]:
    return [answer_column(question) for question in answered(petitions)]


def chosen(keys: Iterable[str], internal: bool, extra: Iterable[Column] = ()) -> list[Column]:
    """The columns of `keys` that this export may hold: the fixed ones, then `extra` (the
    questions')."""
    by_key = {**COLUMNS_BY_KEY, **{column.key: column for column in extra}}
    return [
        by_key[key]
        for key in keys
        if key in by_key and (internal or not (by_key[key].private or key in PRIVATE_COLUMNS))
    ]


def signature_rows(
    signatures: QuerySet, columns: list[Column], internal: bool
) -> Iterator[list[str]]:
    """A header of column keys, then one row of inert text per signature."""
    yield [column.key for column in columns]
    wanted = any(column.key == "partner_consents" for column in columns)
    context = Context.now(signatures if wanted else None)
    not_listed = str(NOT_LISTED)
    for row in signatures.values_list(*FIELDS, named=True).iterator(chunk_size=CHUNK):
        row = masked(row, internal, not_listed)
        yield [neutralise(column.value(row, context)) for column in columns]


def select(petition: Petition, options: dict) -> QuerySet:
    """The confirmed signatures of `petition` that the export form's filters keep."""
    signatures = Signature.objects.confirmed().filter(petition=petition)
    if options.get("countries"):
        signatures = signatures.filter(country__in=options["countries"])
    if options.get("signed_from"):
        signatures = signatures.filter(created_at__gte=day_start(options["signed_from"]))
    if options.get("signed_to"):
        end = day_start(options["signed_to"]) + timedelta(days=1)
        signatures = signatures.filter(created_at__lt=end)
    present = Q(affiliation="")
    if options.get("organisation") == "yes":
        signatures = signatures.exclude(present)
    elif options.get("organisation") == "no":
        signatures = signatures.filter(present)
    if options.get("listed_only"):
        signatures = signatures.filter(public=True, hidden=False)
    return signatures


def day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


class Echo:
    """A file-like object that hands back what is written, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterable[list[str]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(rows: Iterable[list[str]], filename: str) -> FileResponse:
    """`rows` as a one-sheet workbook, built in a temporary file and streamed from it.

    constant_memory writes each row to disk as it comes, so memory stays flat however many
    rows there are. The conversions are off and every cell is written with write_string: a value
    never becomes a number, a link or a formula.
    """
    # Not a `with` block: the response reads the file after this returns, then closes it.
    import xlsxwriter  # heavy: loaded by the first spreadsheet export, not at start-up

    file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        workbook = xlsxwriter.Workbook(
            file,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        sheet = workbook.add_worksheet("signatures")
        for row_number, row in enumerate(rows):
            for column, value in enumerate(row):
                sheet.write_string(row_number, column, value)
        workbook.close()
    except BaseException:
        file.close()
        raise
    file.seek(0)
    # FileResponse sends the file in blocks and closes it, which deletes it.
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def export_name(name: str, extension: str) -> str:
    return f"{name}-signatures-{timezone.now().strftime('%Y%m%d-%H%M')}.{extension}"


def ordered(signatures: QuerySet) -> QuerySet:
    return signatures.confirmed().order_by("petition_id", "confirmed_at", "pk")


# The admin list actions: every column of the selection, for moderators (internal).


def every_column(signatures: QuerySet) -> list[Column]:
    petitions = Petition.objects.filter(pk__in=signatures.values("petition_id"))
    return [*COLUMNS, *question_columns(petitions)]


def confirmed_signatures_csv(signatures: QuerySet, name: str) -> StreamingHttpResponse:
    """The confirmed signatures among `signatures`, streamed as a CSV download."""
    rows = signature_rows(ordered(signatures), every_column(signatures), internal=True)
    return csv_response(rows, export_name(name, "csv"))


def confirmed_signatures_xlsx(signatures: QuerySet, name: str) -> FileResponse:
    """The confirmed signatures among `signatures`, as an XLSX download."""
    rows = signature_rows(ordered(signatures), every_column(signatures), internal=True)
    return xlsx_response(rows, export_name(name, "xlsx"))
