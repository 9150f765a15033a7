"""What came of a petition, for its page: responses, silence, outcome and timeline."""

from dataclasses import dataclass

from django import template
from django.utils.translation import get_language

from firma.petitions.models import Petition, Response, Target
from firma.petitions.outreach import selectors

register = template.Library()


@dataclass
class ShownResponse:
    """A response as the reader sees it: in their language where the organisers translated
    it, else as it was written."""

    response: Response
    text: str
    language: str
    translated: bool


def shown(response: Response, language: str) -> ShownResponse:
    translation = response.translations.get(language)
    if translation and language != response.language:
        return ShownResponse(response, translation, language, True)
    return ShownResponse(response, response.text, response.language, False)


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
