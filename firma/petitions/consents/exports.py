"""A signature's consent records as a download, for a data-subject request: JSON or CSV."""

import csv
import io

from django.http import HttpResponse, JsonResponse
from django.utils.http import content_disposition_header

from firma.petitions.consents.selectors import history
from firma.petitions.models import Signature

COLUMNS = [
    "consent",
    "given",
    "when",
    "channel",
    "language",
    "wording",
    "wording_sha256",
    "migrated",
    "partner",
]
FORMATS = ("json", "csv")


def filename(signature: Signature, extension: str) -> str:
    return f"consents-{signature.petition.slug}-{signature.pk}.{extension}"


def download(signature: Signature, kind: str) -> HttpResponse:
    """The records of `signature`, oldest first, in `kind` (one of FORMATS)."""
    records = history(signature)
    if kind == "json":
        document = {
            "signature": signature.pk,
            "petition": signature.petition.slug,
            "full_name": signature.full_name,
            "email": signature.email,
            "consents": records,
        }
        response: HttpResponse = JsonResponse(
            document, json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in records:
            writer.writerow(
                {**row, "given": "yes" if row["given"] else "no", "partner": row["partner"] or ""}
            )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename(signature, kind))
    return response
