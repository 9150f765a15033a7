"""The organisers' API (/api/v1/manage/…), for their own software: an API token of one
organisation reads its petitions and signatures, and with the read-write scope edits its
petitions. Another organisation's petitions do not exist for it (404)."""

import json

from django.db import transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404

from firma.api import bodies, openapi, representations
from firma.api.csv_export import csv_download
from firma.api.endpoints import endpoint
from firma.api.errors import ApiError, invalid_form, json_response
from firma.api.forms import PetitionForm, PetitionTextForm, form_data
from firma.api.pagination import next_url, page, page_form
from firma.api.selectors import filtered_signatures, own_petition, own_petitions
from firma.api.tokens import authenticate
from firma.organiser.lifecycle import services as lifecycle
from firma.petitions.models import Petition, PetitionText

TEXT_FIELDS = ["language", "title", "body", "donation_note"]


def read_body(request: HttpRequest) -> dict:
    try:
        body = json.loads(request.body or b"null")
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "invalid_json", "The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "The body must be a JSON object.")
    return body


@endpoint("GET", "POST")
def petitions(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return create_petition(request)
    token = authenticate(request)
    rows, cursor = page(own_petitions(token), page_form(request))
    return json_response(
        {
            "results": [representations.petition_settings(petition) for petition in rows],
            "next": next_url(request, cursor),
        }
    )


def create_petition(request: HttpRequest) -> JsonResponse:
    """A petition with its first translations: {"slug": …, "texts": [{"language", "title", …}]}."""
    token = authenticate(request, write=True)
    body = read_body(request)
    bodies.check(body, openapi.NEW_PETITION)
    fields = PetitionForm.Meta.fields
    form = PetitionForm(form_data(body, fields, initial=model_to_dict(Petition(), fields)))
    if not form.is_valid():
        raise invalid_form(form)
    text_forms = translation_forms(body.get("texts"))
    with transaction.atomic():
        petition = form.save(commit=False)
        petition.organisation = token.organisation
        new_status, petition.status = petition.status, Petition.Status.DRAFT
        petition.change_status(new_status)
        petition.save()
        for text_form in text_forms:
            text_form.instance.petition = petition
            text_form.save()
    return json_response(
        representations.petition_settings(own_petition(token, petition.slug)), status=201
    )


def translation_forms(texts: object) -> list[PetitionTextForm]:
    """Valid forms for the `texts` of a new petition: at least one, one per language."""
    if not isinstance(texts, list) or not texts:
        raise ApiError(
            400,
            "invalid",
            "The data sent is not valid.",
            fields={"texts": [{"code": "required", "message": "Send at least one text."}]},
        )
    forms, errors, languages = [], {}, set()
    for number, text in enumerate(texts):
        form = PetitionTextForm(form_data(text if isinstance(text, dict) else {}, TEXT_FIELDS))
        if not form.is_valid():
            errors.update(
                {f"texts.{number}.{k}": v for k, v in form.errors.get_json_data().items()}
            )
        elif form.cleaned_data["language"] in languages:
            message = "Two texts in the same language."
            errors[f"texts.{number}.language"] = [
                {"code": "duplicate_language", "message": message}
            ]
        else:
            languages.add(form.cleaned_data["language"])
        forms.append(form)
    if errors:
        raise ApiError(400, "invalid", "The data sent is not valid.", fields=errors)
    return forms


@endpoint("GET", "PATCH")
def petition(request: HttpRequest, slug: str) -> JsonResponse:
    if request.method == "PATCH":
        return update_petition(request, slug)
    found = own_petition(authenticate(request), slug)
    return json_response(representations.petition_settings(found))


def update_petition(request: HttpRequest, slug: str) -> JsonResponse:
    """Change the fields sent, keep the others."""
    token = authenticate(request, write=True)
    found = own_petition(token, slug)
    fields = PetitionForm.Meta.fields
    old_status = found.status
    body = read_body(request)
    bodies.check(body, openapi.PETITION_INPUT)
    data = form_data(body, fields, initial=model_to_dict(found, fields))
    form = PetitionForm(data, instance=found)
    if not form.is_valid():
        raise invalid_form(form)
    with transaction.atomic():
        updated = form.save(commit=False)
        new_status, updated.status = updated.status, old_status
        updated.change_status(new_status)
        updated.save()
        if new_status == Petition.Status.CLOSED and old_status != new_status:
            # Logged and announced as a close from the back office is.
            lifecycle.closed(updated, token.created_by)
    return json_response(representations.petition_settings(own_petition(token, updated.slug)))


@endpoint("GET", "PUT")
def petition_text(request: HttpRequest, slug: str, language: str) -> JsonResponse:
    """One translation: PUT creates or replaces it (fields left out become empty)."""
    if request.method != "PUT":  # GET, and HEAD with it
        found = own_petition(authenticate(request), slug)
        text = get_object_or_404(found.texts.all(), language=language)
        return json_response(representations.text_data(found, text))
    found = own_petition(authenticate(request, write=True), slug)
    existing = found.texts.filter(language=language).first()
    body = read_body(request)
    bodies.check(body, openapi.TEXT_INPUT)
    data = form_data({**body, "language": language}, TEXT_FIELDS)
    form = PetitionTextForm(data, instance=existing or PetitionText(petition=found))
    if not form.is_valid():
        raise invalid_form(form)
    text = form.save()
    return json_response(representations.text_data(found, text), status=200 if existing else 201)


@endpoint("GET")
def signatures(request: HttpRequest, slug: str) -> JsonResponse:
    """All signatures with their private fields, oldest first: keep `next` to fetch new ones."""
    found = own_petition(authenticate(request), slug)
    chosen, form = filtered_signatures(request, found)
    rows, cursor = page(chosen, form, newest_first=False)
    return json_response(
        {
            "petition": found.slug,
            "results": [representations.private_signature(signature) for signature in rows],
            "next": next_url(request, cursor),
        }
    )


@endpoint("GET")
def export(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The same filters, every row at once, as the back office's CSV export."""
    found = own_petition(authenticate(request), slug)
    chosen, _ = filtered_signatures(request, found)
    return csv_download(chosen, found.slug)
