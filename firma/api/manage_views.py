"""The organisers' API (/api/v1/manage/…), for their own software: an API token of one
organisation reads its petitions and signatures, and with the read-write scope edits its
petitions. Another organisation's petitions do not exist for it (404)."""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from firma.api import bodies, representations
from firma.api.csv_export import csv_download
from firma.api.endpoints import endpoint
from firma.api.errors import ApiError, invalid_form, json_response
from firma.api.forms import (
    DeliveryApiForm,
    PetitionForm,
    PetitionTextForm,
    TargetApiForm,
    form_data,
)
from firma.api.openapi.petitions import NEW_PETITION, PETITION_INPUT, TEXT_INPUT
from firma.api.pagination import next_url, page, page_form
from firma.api.selectors import filtered_signatures, own_petition, own_petitions
from firma.api.tokens import authenticate
from firma.organiser.delivery import services as delivery_services
from firma.organiser.lifecycle import services as lifecycle
from firma.organiser.responses import services as responses_service
from firma.organiser.responses.forms import EnterForm, OutcomeForm
from firma.petitions.consents.selectors import history
from firma.petitions.models import Delivery, Petition, PetitionText, Target
from firma.petitions.outreach.selectors import deliveries_for, targets_for
from firma.petitions.questions import forms as question_forms
from firma.petitions.questions import services as questions
from firma.petitions.questions.selectors import answered
from firma.petitions.versions import services as versions

MAX_ID = 2**63 - 1  # the largest key a database holds

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
    bodies.check(body, NEW_PETITION)
    fields = PetitionForm.Meta.fields
    form = PetitionForm(form_data(body, fields, initial=model_to_dict(Petition(), fields)))
    if not form.is_valid():
        raise invalid_form(form)
    text_forms = translation_forms(body.get("texts"))
    rows = question_rows(body)
    with transaction.atomic():
        petition = form.save(commit=False)
        petition.organisation = token.organisation
        new_status, petition.status = petition.status, Petition.Status.DRAFT
        petition.change_status(new_status)
        petition.save()
        for text_form in text_forms:
            text_form.instance.petition = petition
            text_form.save()
        if rows is not None:
            questions.replace_questions(petition, rows)
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


def question_rows(body: dict) -> list[dict] | None:
    """The `questions` sent, checked by the rules; None when none were sent."""
    if "questions" not in body:
        return None
    try:
        return question_forms.clean_api_rows(body["questions"])
    except ValidationError as error:
        code = getattr(error, "code", None) or "invalid"  # a list of errors has none
        problems = [{"code": code, "message": message} for message in error.messages]
        raise ApiError(
            400, "invalid", "The data sent is not valid.", fields={"questions": problems}
        ) from error


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
    bodies.check(body, PETITION_INPUT)
    data = form_data(body, fields, initial=model_to_dict(found, fields))
    form = PetitionForm(data, instance=found)
    if not form.is_valid():
        raise invalid_form(form)
    rows = question_rows(body)
    with transaction.atomic():
        updated = form.save(commit=False)
        new_status, updated.status = updated.status, old_status
        updated.change_status(new_status)
        updated.save()
        if rows is not None:
            questions.replace_questions(updated, rows)
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
    bodies.check(body, TEXT_INPUT)
    data = form_data({**body, "language": language}, TEXT_FIELDS)
    form = PetitionTextForm(data, instance=existing or PetitionText(petition=found))
    if not form.is_valid():
        raise invalid_form(form)
    text = form.save()
    versions.record(found)  # a change to an open petition's text is a version
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
def consents(request: HttpRequest, slug: str, signature_id: str) -> JsonResponse:
    """One signature's consent records, oldest first: for a data-subject request."""
    found = own_petition(authenticate(request), slug)
    if not signature_id.isdigit() or int(signature_id) > MAX_ID:
        raise Http404
    signature = get_object_or_404(found.signatures.all(), pk=int(signature_id))
    return json_response(
        {"petition": found.slug, "signature": signature.pk, "results": history(signature)}
    )


@endpoint("GET")
def export(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The same filters, every row at once, as the back office's CSV export."""
    found = own_petition(authenticate(request), slug)
    chosen, _ = filtered_signatures(request, found)
    keys = [question.key for question in answered([found])]
    return csv_download(chosen, found.slug, keys)


RESPONSE_FIELDS = ["target", "text", "language", "received_via", "received_at", "document_url"]


@endpoint("GET", "POST")
def responses(request: HttpRequest, slug: str) -> JsonResponse:
    """Every response, pending and declined ones too; POST enters one received elsewhere."""
    if request.method == "POST":
        return enter_response(request, slug)
    found = own_petition(authenticate(request), slug)
    rows = found.responses.select_related("target").order_by("received_at", "pk")
    return json_response(
        {
            "petition": found.slug,
            "results": [representations.response_data(row, private=True) for row in rows],
        }
    )


def enter_response(request: HttpRequest, slug: str) -> JsonResponse:
    """{"target": id, "text": …, "language": …, "received_via": "post", "publish": true}:
    published at once (and e-mailed to the signers) unless "publish" is false."""
    token = authenticate(request, write=True)
    found = own_petition(token, slug)
    body = read_body(request)
    defaults = {"language": found.default_language, "received_at": timezone.now().isoformat()}
    data = form_data(body, RESPONSE_FIELDS, initial=defaults)
    data["publish_now"] = "true" if body.get("publish", True) is not False else "false"
    form = EnterForm(found, data)
    if not form.is_valid():
        raise invalid_form(form)
    cleaned = form.cleaned_data
    entered = responses_service.enter(
        found,
        token.created_by,
        target=cleaned["target"],
        text=cleaned["text"],
        language=cleaned["language"],
        received_via=cleaned["received_via"],
        received_at=cleaned["received_at"],
        document_url=cleaned["document_url"],
        publish_now=cleaned["publish_now"],
    )
    entered.refresh_from_db()
    return json_response(representations.response_data(entered, private=True), status=201)


@endpoint("GET", "PUT")
def outcome(request: HttpRequest, slug: str) -> JsonResponse:
    """The outcome; PUT {"outcome": "won", "text": …} records it."""
    if request.method in ("GET", "HEAD"):
        found = own_petition(authenticate(request), slug)
        return json_response(
            {"petition": found.slug, "outcome": representations.outcome_data(found)}
        )
    token = authenticate(request, write=True)
    found = own_petition(token, slug)
    body = read_body(request)
    data = form_data({**body, "outcome_text": body.get("text", "")}, ["outcome", "outcome_text"])
    form = OutcomeForm(data, instance=found)
    if not form.is_valid():
        raise invalid_form(form)
    responses_service.record_outcome(
        found, token.created_by, form.cleaned_data["outcome"], form.cleaned_data["outcome_text"]
    )
    return json_response({"petition": found.slug, "outcome": representations.outcome_data(found)})


@endpoint("GET", "POST")
def targets(request: HttpRequest, slug: str) -> JsonResponse:
    """The petition's targets, in order; POST adds one (read-write token)."""
    if request.method in ("GET", "HEAD"):
        found = own_petition(authenticate(request), slug)
        rows = [representations.target_data(t, private=True) for t in targets_for(found)]
        return json_response({"petition": found.slug, "results": rows})
    found = own_petition(authenticate(request, write=True), slug)
    fields = TargetApiForm.Meta.fields
    position = found.targets.count()
    initial = {"role": "", "email": "", "country": "", "position": position}
    data = form_data(read_body(request), fields, initial=initial)
    data["country"] = data["country"].upper()  # "ar" is Argentina too
    form = TargetApiForm(data, instance=Target(petition=found))
    if not form.is_valid():
        raise invalid_form(form)
    target = form.save()
    versions.record(found)  # so is a new target
    return json_response(representations.target_data(target, private=True), status=201)


@endpoint("GET", "POST")
def deliveries(request: HttpRequest, slug: str) -> JsonResponse:
    """The petition's deliveries, oldest first; POST delivers by e-mail, or records a delivery
    made elsewhere (read-write token)."""
    if request.method in ("GET", "HEAD"):
        found = own_petition(authenticate(request), slug)
        rows = [representations.delivery_data(d) for d in deliveries_for(found)]
        return json_response({"petition": found.slug, "results": rows})
    token = authenticate(request, write=True)
    found = own_petition(token, slug)
    body = read_body(request)
    scalar = ["method", "message", "delivered_at", "signature_count", "note"]
    data = form_data(body, scalar)
    ids = body.get("targets")
    if not isinstance(ids, list) or not all(isinstance(pk, int) for pk in ids):
        raise ApiError(
            400,
            "invalid",
            "The data sent is not valid.",
            fields={"targets": [{"code": "invalid_type", "message": "A list of target ids."}]},
        )
    form = DeliveryApiForm(found, {**data, "targets": ids})
    if not form.is_valid():
        raise invalid_form(form)
    options = form.cleaned_data
    chosen = list(options["targets"])
    if options["method"] == Delivery.Method.EMAIL:
        made = delivery_services.deliver(found, chosen, options["message"], token.created_by)
    else:
        made = delivery_services.record_offline(
            found,
            chosen,
            options["delivered_at"] or timezone.now(),
            options["signature_count"],
            options["note"],
            token.created_by,
        )
    made = deliveries_for(found).get(pk=made.pk)
    return json_response(representations.delivery_data(made), status=201)
