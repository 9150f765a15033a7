"""The OSDI record signature helper: a partner's own form sends its signers here.

The signature takes the page's way in: the rules of petitions/rules/ judge each field, the
limits per address and petition apply, and firma e-mails the confirmation link; a token marked
"confirmed upstream" records signatures that count at once instead, flagged so. The token's
name is the signature's source; a token bound to a partner attributes its signatures to that
partner, as the partner's share link would. A request sent again with the same Idempotency-Key
gets the first answer, and changes nothing.

An organisation's endorsement comes as firma's extension of the body, in the signing form's
field names: `firma:signing_as` ("individual" or "organisation") and, for an organisation,
`firma:organisation_name`, `firma:organisation_position` and `firma:organisation_website`
(optional); the organisation's country is the person's postal address's.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import translation

from firma.api.endpoints import endpoint
from firma.api.errors import ApiError, error_response, json_response
from firma.api.models import ApiToken, IdempotentRequest
from firma.api.osdi import osdi_signature
from firma.api.representations import absolute
from firma.api.selectors import own_petition
from firma.api.tokens import authenticate
from firma.core import clients
from firma.petitions.consents import wordings
from firma.petitions.defences import ratelimits
from firma.petitions.defences.addresses import accepts_mail
from firma.petitions.models import ConsentRecord, FieldSetting, Petition, Signature
from firma.petitions.rules import endorsements, mailboxes
from firma.petitions.rules import signer as rules
from firma.petitions.signing import services
from firma.petitions.signing.submission import Submission

KEY_LENGTH = 200
# firma's extension of the OSDI body for an endorsement, in the signing form's field names.
SIGNING_AS = "firma:signing_as"
ORGANISATION_RULES = {
    "organisation_name": endorsements.organisation_name,
    "organisation_position": endorsements.position,
    "organisation_website": endorsements.website,
}
LANGUAGES = {code for code, _name in settings.LANGUAGES}


@endpoint("POST")
def record_signature_helper(request: HttpRequest, slug: str) -> JsonResponse:
    token = authenticate(request)
    if not token.records_signatures:
        raise ApiError(403, "insufficient_scope", "This API token may not record signatures.")
    petition = own_petition(token, slug)
    if token.partner_id and token.partner.petition_id != petition.pk:
        raise ApiError(
            403, "other_petition", "This API token records signatures for another petition."
        )
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return answer(request, token, petition)
    if len(key) > KEY_LENGTH:
        raise ApiError(
            400, "invalid", f"The Idempotency-Key header is longer than {KEY_LENGTH} characters."
        )
    try:
        with transaction.atomic():
            claim = IdempotentRequest.objects.create(token=token, key=key)
    except IntegrityError:
        earlier = IdempotentRequest.objects.get(token=token, key=key)
        if not earlier.status_code:
            raise ApiError(
                409, "in_progress", "A request with this Idempotency-Key is being answered."
            ) from None
        response = json_response(earlier.body, status=earlier.status_code)
        response["Idempotent-Replayed"] = "true"
        return response
    try:
        response = answer(request, token, petition)
    except ApiError as error:
        response = error_response(error)
    except Exception:
        claim.delete()
        raise
    if response.status_code < 500 and response.status_code != 429:
        claim.status_code, claim.body = response.status_code, json.loads(response.content)
        claim.save(update_fields=["status_code", "body"])
    else:
        claim.delete()  # worth trying again
    return response


def answer(request: HttpRequest, token: ApiToken, petition: Petition) -> JsonResponse:
    if not petition.is_open:
        raise ApiError(409, "closed", "The petition takes no signatures.")
    submission, language = read(request, token, petition)
    if not ratelimits.allow_signature(submission.email, petition):
        raise ApiError(
            429,
            "rate_limited",
            "Too many signatures for this petition or e-mail domain: try again later.",
            headers={"Retry-After": "60"},
        )
    services.sign(submission, language, clients.describe(request))
    signature = (
        petition.signatures.filter(mailbox=mailboxes.mailbox(submission.email))
        .order_by("pk")
        .first()
    )
    return json_response(represent(petition, submission, language, signature))


def represent(
    petition: Petition, submission: Submission, language: str, signature: Signature | None
) -> dict:
    """The signature as OSDI shows it, with firma's own status: "pending" until its signer
    confirms it, "confirmed" once it counts."""
    href = absolute(reverse("api:v1-petition", kwargs={"slug": petition.slug}))
    if signature is None:
        # The address asked never to be signed up here: nothing was stored; the partner is
        # told no more than of any other pending signature.
        signature = Signature(
            petition=petition,
            full_name=submission.full_name,
            email=submission.email,
            comment=submission.comment,
            country=submission.country,
            affiliation=submission.affiliation,
            news_opt_in=submission.news_opt_in,
            language=language,
        )
    body = osdi_signature(signature, href)
    if signature.pk is None:
        body["identifiers"] = []
    body["firma:status"] = signature.status
    body["firma:confirmed_upstream"] = signature.confirmed_upstream
    return body


def read(request: HttpRequest, token: ApiToken, petition: Petition) -> tuple[Submission, str]:
    """The body as a Submission, or a 400 naming each field (OSDI's names) that is wrong."""
    try:
        body = json.loads(request.body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, "invalid_json", "The body is not JSON.") from None
    if not isinstance(body, dict) or not isinstance(body.get("person"), dict):
        raise ApiError(
            400,
            "invalid",
            "The data sent is not valid.",
            fields={"person": [{"code": "required", "message": "Send a person object."}]},
        )
    person = body["person"]
    custom = person.get("custom_fields")
    custom = custom if isinstance(custom, dict) else {}
    errors: dict[str, list[dict]] = {}

    def judge(field: str, rule, *args):
        try:
            return rule(*args)
        except ValidationError as error:
            message = " ".join(error.messages)
            errors[field] = [{"code": error.code or "invalid", "message": message}]
            return ""

    signing_as = judge("firma:signing_as", endorsements.signing_as, text(body.get(SIGNING_AS)))
    for_organisation = signing_as == endorsements.ORGANISATION
    organisation = {name: "" for name in ORGANISATION_RULES}
    if for_organisation:
        for name, rule in ORGANISATION_RULES.items():
            organisation[name] = judge(f"firma:{name}", rule, text(body.get(f"firma:{name}")))
    given, family = text(person.get("given_name")), text(person.get("family_name"))
    full_name = judge("person.given_name", rules.full_name, f"{given} {family}")
    address, subscribed = first_email(person.get("email_addresses"))
    email = judge("person.email_addresses", rules.email, address)
    if email and settings.EMAIL_CHECK_DELIVERABILITY and not accepts_mail(rules.domain_of(email)):
        errors["person.email_addresses"] = [
            {"code": "undeliverable", "message": "The domain of this address receives no e-mail."}
        ]
    asked = {
        "organization": petition.organization_field,
        "country": petition.country_field,
        "comment": petition.comment_field,
    }
    required = {name: setting == FieldSetting.REQUIRED for name, setting in asked.items()}
    # An organisation gives its country whatever the petition asks of individuals, and is
    # listed with its signer's position in it, as on the form.
    country = judge(
        "person.postal_addresses",
        rules.country,
        first_country(person.get("postal_addresses")),
        required["country"] or for_organisation,
    )
    affiliation = judge(
        "person.custom_fields.organization",
        rules.affiliation,
        text(custom.get("organization")),
        required["organization"] and not for_organisation,
    )
    comment = judge("comments", rules.comment, text(body.get("comments")), required["comment"])
    if errors:
        raise ApiError(400, "invalid", "The data sent is not valid.", fields=errors)
    spoken = person.get("languages_spoken")
    spoken = spoken if isinstance(spoken, list) else []
    language = next((code for code in spoken if code in LANGUAGES), petition.default_language)
    public = custom.get("public") in ("true", "yes", "1", True)
    with translation.override(language):
        # What the partner's form asked is its own; firma keeps its own words for each consent.
        consents = wordings.shown_on_form(petition, {"public": public, "news_opt_in": subscribed})
    if asked["organization"] == FieldSetting.HIDDEN:
        affiliation = ""
    if for_organisation:
        affiliation = endorsements.affiliation(
            organisation["organisation_name"], organisation["organisation_position"]
        )[: rules.AFFILIATION_LENGTH]
    submission = Submission(
        petition=petition,
        full_name=full_name,
        email=email,
        affiliation=affiliation,
        kind=signing_as,
        organisation_name=organisation["organisation_name"],
        organisation_position=organisation["organisation_position"],
        organisation_website=organisation["organisation_website"],
        country=country if asked["country"] != FieldSetting.HIDDEN or for_organisation else "",
        comment=comment if asked["comment"] != FieldSetting.HIDDEN else "",
        public=public,
        news_opt_in=subscribed,
        consents=consents,
        channel=ConsentRecord.Channel.API,
        source=rules.source(token.name),
        confirmed_upstream=token.confirmed_upstream,
        partner_id=token.partner_id,
    )
    return submission, language


def text(value: object) -> str:
    return value if isinstance(value, str) else ""


def first_email(addresses: object) -> tuple[str, bool]:
    """The primary address (or the first), and whether it is subscribed to news."""
    found = (
        [item for item in addresses if isinstance(item, dict)]
        if isinstance(addresses, list)
        else []
    )
    chosen = next(
        (item for item in found if item.get("primary") is True), found[0] if found else {}
    )
    return text(chosen.get("address")), chosen.get("status") == "subscribed"


def first_country(addresses: object) -> str:
    found = (
        [item for item in addresses if isinstance(item, dict)]
        if isinstance(addresses, list)
        else []
    )
    chosen = next(
        (item for item in found if item.get("primary") is True), found[0] if found else {}
    )
    return text(chosen.get("country")).upper()
