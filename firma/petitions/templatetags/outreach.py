"""A petition's outreach, for its page: whom it is addressed to, its deliveries, responses,
silence, outcome and timeline. Never a target's e-mail address."""

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils.text import get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries.fields import Country

from firma.petitions.models import Petition, Response, Target
from firma.petitions.outreach import selectors

register = template.Library()


@dataclass(frozen=True)
class TargetShown:
    name: str
    role: str
    country: Country | None


@dataclass(frozen=True)
class DeliveryShown:
    delivered_at: datetime
    signature_count: int
    names: str
    note: str


@dataclass
class ShownResponse:
    """A response as the reader sees it: in their language where the organisers translated
    it, else as it was written."""

    response: Response
    text: str
    language: str
    translated: bool


def target_shown(target: Target, language: str) -> TargetShown:
    return TargetShown(target.name, target.role_in(language), target.country or None)


def shown(response: Response, language: str) -> ShownResponse:
    translation = response.translations.get(language)
    if translation and language != response.language:
        return ShownResponse(response, translation, language, True)
    return ShownResponse(response, response.text, response.language, False)


@register.simple_tag
def outreach_of(petition: Petition, language: str) -> dict:
    """The targets in `language`, and the deliveries."""
    deliveries = [
        DeliveryShown(
            delivery.delivered_at,
            delivery.signature_count,
            get_text_list([target.name for target in delivery.targets.all()], _("and")),
            delivery.note,
        )
        for delivery in selectors.deliveries_for(petition)
    ]
    return {
        "targets": [target_shown(target, language) for target in selectors.targets_for(petition)],
        "deliveries": deliveries,
    }


@register.simple_tag
def petition_responses(petition: Petition) -> dict:
    language = get_language()
    threads = [
        {"target": thread.target, "responses": [shown(r, language) for r in thread.responses]}
        for thread in selectors.response_threads(petition)
    ]
    return {"threads": threads, "silent": selectors.silent_targets(petition)}


@register.simple_tag
def petition_timeline(petition: Petition) -> list[selectors.Moment]:
    return selectors.timeline(petition)


@register.filter
def role_in(target: Target | None, language: str) -> str:
    return target.role_in(language) if target else ""
