"""Downloads of confirmed signatures, as CSV or XLSX, streamed whatever their number.

Every cell is text, and text that a spreadsheet would run as a formula gets a leading quote.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator

import xlsxwriter
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from firma.petitions.models import Signature

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Echo:
    """A file-like object that hands back what is written, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


SIGNATURE_COLUMNS = [
    ("petition", lambda s: s.petition.slug),
    ("full_name", lambda s: s.full_name),
    ("organization", lambda s: s.organization),
    ("country", lambda s: s.country.code),
    ("country_name", lambda s: s.country.name),
    ("email", lambda s: s.email),
    ("comment", lambda s: s.comment),
    ("listed_publicly", lambda s: "yes" if s.public and not s.hidden else "no"),
    ("wants_news", lambda s: "yes" if s.news_opt_in else "no"),
    ("language", lambda s: s.language),
    ("signed_at", lambda s: s.created_at.isoformat()),
    ("confirmed_at", lambda s: s.confirmed_at.isoformat() if s.confirmed_at else ""),
]


def signature_rows(signatures: Iterable[Signature]) -> Iterator[list[str]]:
    yield [name for name, _ in SIGNATURE_COLUMNS]
    for signature in signatures:
        yield [neutralise(value(signature)) for _, value in SIGNATURE_COLUMNS]


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


def confirmed(signatures: QuerySet) -> Iterator[Signature]:
    return (
        signatures.confirmed()
        .select_related("petition")
        .order_by("petition_id", "confirmed_at", "pk")
        .iterator(chunk_size=2000)
    )


def export_name(name: str, extension: str) -> str:
    return f"{name}-signatures-{timezone.now().strftime('%Y%m%d-%H%M')}.{extension}"


def confirmed_signatures_csv(signatures: QuerySet, name: str) -> StreamingHttpResponse:
    """The confirmed signatures among `signatures`, streamed as a CSV download."""
    return csv_response(signature_rows(confirmed(signatures)), export_name(name, "csv"))


def confirmed_signatures_xlsx(signatures: QuerySet, name: str) -> FileResponse:
    """The confirmed signatures among `signatures`, as an XLSX download."""
    return xlsx_response(signature_rows(confirmed(signatures)), export_name(name, "xlsx"))
