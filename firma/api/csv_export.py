"""The organisers' CSV export through the API: the fields of the JSON list, one row each,
streamed whatever their number."""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from firma.api.representations import private_signature
from firma.petitions.models import Petition, Signature
from firma.petitions.questions.display import as_text

# Text a spreadsheet would run as a formula gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Echo:
    """A file-like object that hands back what is written, for a streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def cell(value: object) -> str:
    if isinstance(value, list):
        value = " ".join(value)
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows(signatures: QuerySet, question_keys: list[str] = ()) -> Iterator[list[str]]:
    # The columns are the keys of the JSON list's items, read off a blank signature; the
    # answers are a column each, q_<key>, as in the back office's exports.
    header = [
        name for name in private_signature(Signature(petition=Petition())) if name != "answers"
    ]
    yield [*header, *(f"q_{key}" for key in question_keys)]
    for signature in signatures.order_by("pk").iterator(chunk_size=2000):
        data = private_signature(signature)
        answers = [cell(as_text(data["answers"].get(key))) for key in question_keys]
        yield [*(cell(data[name]) for name in header), *answers]


def csv_download(
    signatures: QuerySet, name: str, question_keys: list[str] = ()
) -> StreamingHttpResponse:
    writer = csv.writer(Echo())
    lines: Iterable[str] = (writer.writerow(row) for row in rows(signatures, question_keys))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-signatures-{stamp}.csv"'
    return response
