"""The public ledger of each petition (/api/v1/petitions/<slug>/ledger/…) and the key that signs
its heads (/api/v1/ledger/public-key): what scripts/verify_ledger.py downloads. All cacheable."""

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404

from firma.api.endpoints import endpoint
from firma.api.errors import ApiError, json_response
from firma.ledger import selectors as ledger
from firma.petitions.models import Petition


def public_petition(slug: str) -> Petition:
    return get_object_or_404(Petition.objects.public(), slug=slug)


def number(request: HttpRequest, name: str, default: int | None = None) -> int:
    """A non-negative integer query parameter; 400 if missing (without default) or malformed."""
    value = request.GET.get(name)
    if value is None and default is not None:
        return default
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise ApiError(
            400,
            "invalid",
            f"Give {name} as a whole number.",
            fields={name: [{"code": "invalid", "message": "A whole number is required."}]},
        )
    return int(value)


@endpoint("GET", public=True)
def public_key(request: HttpRequest) -> JsonResponse:
    return json_response(ledger.public_key())


@endpoint("GET", public=True)
def head(request: HttpRequest, slug: str) -> JsonResponse:
    found = public_petition(slug)
    return json_response({"petition": found.slug, "head": ledger.latest_head(found)})


@endpoint("GET", public=True)
def heads(request: HttpRequest, slug: str) -> JsonResponse:
    found = public_petition(slug)
    start = number(request, "start", 0)
    rows = ledger.heads(found, start, ledger.MAX_HEADS + 1)
    following = start + ledger.MAX_HEADS if len(rows) > ledger.MAX_HEADS else None
    return json_response(
        {"petition": found.slug, "heads": rows[: ledger.MAX_HEADS], "next_start": following}
    )


@endpoint("GET", public=True)
def leaves(request: HttpRequest, slug: str) -> JsonResponse:
    found = public_petition(slug)
    start = number(request, "start")
    end = number(request, "end", start + ledger.MAX_LEAVES)
    if end < start:
        raise ApiError(400, "invalid", "end must not be smaller than start.")
    return json_response({"petition": found.slug, "leaves": ledger.leaves(found, start, end)})


@endpoint("GET", public=True)
def consistency(request: HttpRequest, slug: str) -> JsonResponse:
    found = public_petition(slug)
    first, second = number(request, "first"), number(request, "second")
    proof = ledger.consistency(found, first, second)
    if proof is None:
        raise ApiError(400, "invalid", "Give 0 ≤ first ≤ second ≤ the ledger's size.")
    return json_response({"first": first, "second": second, "proof": proof})


@endpoint("GET", public=True)
def inclusion(request: HttpRequest, slug: str) -> JsonResponse:
    found = public_petition(slug)
    index, size = number(request, "index"), number(request, "size")
    proof = ledger.inclusion(found, index, size)
    if proof is None:
        raise ApiError(400, "invalid", "Give 0 ≤ index < size ≤ the ledger's size.")
    return json_response({"index": index, "size": size, "proof": proof})
