"""Signatures in the Open Supporter Data Interface (OSDI) format that movement CRMs read:
a HAL collection of osdi:signatures, each with its person embedded."""

from django.http import HttpRequest, JsonResponse
from django.urls import reverse

from firma.api.endpoints import endpoint
from firma.api.pagination import next_url, page
from firma.api.representations import absolute, moment
from firma.api.selectors import filtered_signatures, own_petition
from firma.api.tokens import authenticate
from firma.petitions.models import Signature
from firma.petitions.questions.display import as_text

ORIGIN_SYSTEM = "firma"
HAL_JSON = "application/hal+json"


def split_name(full_name: str) -> tuple[str, str]:
    """Best effort, since people type one name: the first word, and the rest as family name
    (right for "Ana Souza Lima", wrong for "Mary Ann Smith"; CRMs let people correct it)."""
    given, _, family = full_name.strip().partition(" ")
    return given, family.strip()


def person(signature: Signature) -> dict:
    given, family = split_name(signature.full_name)
    found = {
        "given_name": given,
        "family_name": family,
        "languages_spoken": [signature.language],
        "email_addresses": [
            {
                "address": signature.email,
                "primary": True,
                "status": "subscribed" if signature.news_opt_in else "unsubscribed",
            }
        ],
        "postal_addresses": [],
        # The answers to the petition's questions, by key, as text (a CRM's custom fields).
        "custom_fields": {key: as_text(value) for key, value in signature.answers.items()},
    }
    if signature.country.code:
        found["postal_addresses"] = [{"primary": True, "country": signature.country.code}]
    if signature.affiliation:
        found["custom_fields"]["organization"] = signature.affiliation
    found["custom_fields"]["signing_as"] = signature.kind
    if signature.kind == Signature.Kind.ORGANISATION:
        found["custom_fields"]["organisation_name"] = signature.organisation_name
        found["custom_fields"]["organisation_position"] = signature.organisation_position
    return found


def osdi_signature(signature: Signature, petition_href: str) -> dict:
    changes = [signature.created_at, signature.confirmed_at, signature.anonymised_at]
    return {
        "identifiers": [f"{ORIGIN_SYSTEM}:{signature.pk}"],
        "origin_system": ORIGIN_SYSTEM,
        "created_date": moment(signature.created_at),
        "modified_date": moment(max(change for change in changes if change)),
        "comments": signature.comment,
        "person": person(signature),
        "_links": {"osdi:petition": {"href": petition_href}},
    }


@endpoint("GET")
def signatures(request: HttpRequest, slug: str) -> JsonResponse:
    found = own_petition(authenticate(request), slug)
    chosen, form = filtered_signatures(request, found)
    rows, cursor = page(chosen, form, newest_first=False)
    petition_href = absolute(reverse("api:v1-petition", kwargs={"slug": found.slug}))
    links = {"self": {"href": absolute(request.get_full_path())}}
    if cursor:
        links["next"] = {"href": next_url(request, cursor)}
    body = {
        "origin_system": ORIGIN_SYSTEM,
        "per_page": form.cleaned_data["limit"],
        "_links": links,
        "_embedded": {"osdi:signatures": [osdi_signature(row, petition_href) for row in rows]},
    }
    return JsonResponse(body, content_type=HAL_JSON, json_dumps_params={"ensure_ascii": False})
