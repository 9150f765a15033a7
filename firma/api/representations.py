"""Petitions and signatures as the API shows them (the openapi package describes each shape)."""

from datetime import date, datetime

from django.conf import settings
from django.urls import reverse

from firma.petitions import counting
from firma.petitions.models import (
    Delivery,
    Outcome,
    Partner,
    Petition,
    PetitionText,
    Question,
    Response,
    Signature,
    Target,
)
from firma.petitions.outreach import selectors as outreach
from firma.petitions.partners.selectors import partners_of
from firma.petitions.questions.selectors import asked
from firma.petitions.selectors import petition_url


def absolute(path: str) -> str:
    return settings.BASE_URL + path


def moment(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def petition_summary(petition: Petition) -> dict:
    """What lists show: the petition in its default language, and its count."""
    text = petition.text_for(petition.default_language)
    return {
        "slug": petition.slug,
        "title": text.title,
        "default_language": petition.default_language,
        "languages": sorted(t.language for t in petition.texts.all()),
        "status": petition.status,
        "goal": petition.goal,
        "closes_on": moment(petition.closes_on),
        "signature_count": counting.total(petition),
        "url": absolute(petition_url(petition, text.language)),
        "api_url": absolute(reverse("api:v1-petition", kwargs={"slug": petition.slug})),
    }


def outcome_data(petition: Petition) -> dict | None:
    """What came of the petition, as the organisers recorded it; None until they do."""
    if not petition.outcome:
        return None
    return {
        "outcome": petition.outcome,
        "label": str(Outcome(petition.outcome).label),
        "text": petition.outcome_text,
        "recorded_at": moment(petition.outcome_at),
    }


def response_data(response: Response, *, private: bool = False) -> dict:
    """A response as the page shows it: its words as written, and the organisers'
    translations. `private` adds what only the organisers see."""
    target = response.target
    data = {
        "id": response.pk,
        "target": {
            "name": target.name,
            "role": target.role,
            "country": target.country.code or None,
        }
        if target
        else None,
        "text": response.text,
        "language": response.language,
        "translations": response.translations,
        "document_url": response.document_url,
        "source": response.source,
        "received_via": response.received_via,
        "received_at": moment(response.received_at),
        "published_at": moment(response.published_at),
        "url": absolute(
            f"{petition_url(response.petition, response.language)}#response-{response.pk}"
        ),
    }
    if private:
        data["status"] = response.status
        data["decline_reason"] = response.decline_reason
    return data


def text_data(petition: Petition, text: PetitionText) -> dict:
    return {
        "language": text.language,
        "title": text.title,
        "body": text.body,
        "donation_note": text.donation_note,
        "url": absolute(petition_url(petition, text.language)),
    }


def target_data(target: Target, private: bool = False) -> dict:
    """A target as anyone may see it; its e-mail address only for its organisers."""
    data = {
        "id": target.pk,
        "name": target.name,
        "role": target.role,
        "role_translations": dict(target.role_translations),
        "country": target.country.code or None,
    }
    return {**data, "email": target.email} if private else data


def question_data(question: Question) -> dict:
    return {
        "key": question.key,
        "kind": question.kind,
        "label": question.label,
        "help_text": question.help_text,
        "choices": question.options,
        "translations": dict(question.translations),
        "required": question.required,
        "public": question.public,
    }


def delivery_data(delivery: Delivery) -> dict:
    return {
        "id": delivery.pk,
        "method": delivery.method,
        "delivered_at": moment(delivery.delivered_at),
        "signature_count": delivery.signature_count,
        "counts_by_country": dict(delivery.counts_by_country),
        "targets": [target.pk for target in delivery.targets.all()],
        "note": delivery.note,
    }


def partner_data(petition: Petition, partner: Partner) -> dict:
    """A partner as the page names it; its logo is served by firma (None without one)."""
    logo = None
    if partner.logo_version:
        path = reverse(
            "petitions:partner_logo", kwargs={"slug": petition.slug, "partner": partner.slug}
        )
        logo = absolute(f"{path}?v={partner.logo_version}")
    return {
        "name": partner.name,
        "slug": partner.slug,
        "website": partner.website,
        "privacy_url": partner.privacy_url,
        "opt_in": partner.opt_in,
        "logo_url": logo,
    }


def petition_detail(petition: Petition) -> dict:
    texts = sorted(petition.texts.all(), key=lambda text: text.language)
    return {
        **petition_summary(petition),
        "texts": [text_data(petition, text) for text in texts],
        "created_at": moment(petition.created_at),
        "closed_at": moment(petition.closed_at),
        "targets": [target_data(target) for target in outreach.targets_for(petition)],
        "deliveries": [delivery_data(delivery) for delivery in outreach.deliveries_for(petition)],
        "outcome": outcome_data(petition),
        "responses": [
            response_data(response) for response in outreach.published_responses(petition)
        ],
        "partners": [partner_data(petition, partner) for partner in partners_of(petition)],
    }


def petition_settings(petition: Petition) -> dict:
    """The organiser's view: the detail and the settings a token may change."""
    return {
        **petition_detail(petition),
        "organization_field": petition.organization_field,
        "country_field": petition.country_field,
        "comment_field": petition.comment_field,
        "allow_embedding": petition.allow_embedding,
        "retention_days": petition.retention_days,
        "deliver_at": petition.deliver_at,
        "auto_deliver": petition.auto_deliver,
        "response_days": petition.response_days,
        "deliver_unlisted_names": petition.deliver_unlisted_names,
        "threshold_reached_at": moment(petition.threshold_reached_at),
        "targets": [target_data(target, private=True) for target in outreach.targets_for(petition)],
        "questions": [question_data(question) for question in asked(petition)],
    }


def signer(signature: Signature, public_keys: list[str] = ()) -> dict:
    """A listed signer, as the petition page shows them, with their answers to the questions
    of `public_keys`: an endorsement by the organisation's name alone."""
    signed_on = moment((signature.confirmed_at or signature.created_at).date())
    if signature.kind == Signature.Kind.ORGANISATION:
        return {
            "kind": signature.kind,
            "name": signature.organisation_name,
            "organization": "",
            "country": signature.country.code or None,
            "signed_on": signed_on,
            "comment": "",
            "website": signature.organisation_website,
            "answers": {},
        }
    return {
        "kind": signature.kind,
        "name": signature.full_name,
        "organization": signature.affiliation,
        "country": signature.country.code or None,
        "signed_on": signed_on,
        "comment": "" if signature.comment_hidden else signature.comment,
        "answers": {key: signature.answers[key] for key in public_keys if key in signature.answers},
    }


def private_signature(signature: Signature) -> dict:
    """Everything an organiser may know of a signature (never the IP hash)."""
    return {
        "id": signature.pk,
        "petition": signature.petition.slug,
        "full_name": signature.full_name,
        "organization": signature.affiliation,
        "email": signature.email,
        "country": signature.country.code or None,
        "comment": signature.comment,
        "comment_hidden": signature.comment_hidden,
        "listed": signature.public,
        "hidden": signature.hidden,
        "news_opt_in": signature.news_opt_in,
        "organisation_news": signature.organisation_news,
        "language": signature.language,
        "status": signature.status,
        "valid": signature.invalidation_id is None,
        "flags": signature.flags.split(),
        "source": signature.source,
        "referrer": signature.referrer,
        "paper": signature.paper,
        "kind": signature.kind,
        "organisation": endorsement(signature),
        "confirmed_upstream": signature.confirmed_upstream,
        "answers": dict(signature.answers),
        "created_at": moment(signature.created_at),
        "confirmed_at": moment(signature.confirmed_at),
        "anonymised_at": moment(signature.anonymised_at),
        # The slug of the partner whose link, embed or token brought the signature.
        "partner": signature.partner.slug if signature.partner_id else None,
    }


def endorsement(signature: Signature) -> dict | None:
    """The organisation a signer signed for, and the organisers' verdict; None for individuals."""
    if signature.kind != Signature.Kind.ORGANISATION:
        return None
    return {
        "name": signature.organisation_name,
        "position": signature.organisation_position,
        "website": signature.organisation_website,
        "verification": signature.verification,
        "address_at_website": signature.address_at_website,
    }
