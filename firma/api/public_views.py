"""The public, read-only API (/api/v1/…): what the petition pages show, as JSON."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404

from firma.api import representations
from firma.api.endpoints import endpoint
from firma.api.errors import json_response
from firma.api.pagination import next_url, page, page_form
from firma.petitions import counting
from firma.petitions.models import Petition
from firma.petitions.questions.selectors import public_keys as public_question_keys


def public_petition(slug: str) -> Petition:
    """A petition anyone may read (never a draft); 404 otherwise."""
    return get_object_or_404(Petition.objects.public().prefetch_related("texts"), slug=slug)


@endpoint("GET", public=True)
def petitions(request: HttpRequest) -> JsonResponse:
    form = page_form(request)
    rows, cursor = page(Petition.objects.public().prefetch_related("texts"), form)
    return json_response(
        {
            "results": [representations.petition_summary(petition) for petition in rows],
            "next": next_url(request, cursor),
        }
    )


@endpoint("GET", public=True)
def petition(request: HttpRequest, slug: str) -> JsonResponse:
    return json_response(representations.petition_detail(public_petition(slug)))


@endpoint("GET", public=True)
def counts_by_country(request: HttpRequest, slug: str) -> JsonResponse:
    found = public_petition(slug)
    countries = [{"country": code, "count": n} for code, n in counting.by_country(found)]
    return json_response(
        {"petition": found.slug, "total": counting.total(found), "countries": countries}
    )


@endpoint("GET", public=True)
def counts_by_day(request: HttpRequest, slug: str) -> JsonResponse:
    found = public_petition(slug)
    return json_response({"petition": found.slug, "days": confirmations_by_day(found)})


def confirmations_by_day(petition: Petition) -> list[dict]:
    """Confirmed, valid signatures by day of confirmation (in TIME_ZONE), oldest first.

    Counted from the signatures, so kept a while in the cache: unlike the total, nothing keeps
    a running tally by day.
    """
    key = f"api:days:{petition.pk}"
    found = cache.get(key)
    if found is None:
        rows = (
            petition.signatures.confirmed()
            .filter(confirmed_at__isnull=False)
            .annotate(day=TruncDate("confirmed_at"))
            .values("day")
            .annotate(n=Count("id"))
            .order_by("day")
        )
        found = [{"date": row["day"].isoformat(), "count": row["n"]} for row in rows]
        cache.set(key, found, settings.API_DAYS_CACHE_SECONDS)
    return found


@endpoint("GET", public=True)
def signers(request: HttpRequest, slug: str) -> JsonResponse:
    """The signers who chose to be listed and the verified endorsing organisations, newest
    first."""
    found = public_petition(slug)
    form = page_form(request)
    rows, cursor = page(found.signatures.public_feed(), form)
    public_keys = public_question_keys(found)
    return json_response(
        {
            "petition": found.slug,
            "results": [representations.signer(signature, public_keys) for signature in rows],
            "next": next_url(request, cursor),
        }
    )
