import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
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


def confirmed_signatures_csv(signatures: QuerySet, name: str) -> StreamingHttpResponse:
    """The confirmed signatures among `signatures`, streamed as a CSV download."""
    rows = (
        signatures.confirmed()
        .select_related("petition")
        .order_by("petition_id", "confirmed_at", "pk")
        .iterator(chunk_size=2000)
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return csv_response(signature_rows(rows), f"{name}-signatures-{stamp}.csv")
