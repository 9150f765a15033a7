"""The organisers' published updates, for the public petition page.

A template tag, not an import: the petition page (firma.petitions) stays below the organiser's
tools, and the page shows the updates without knowing where they are written.
"""

from django import template
from django.utils.translation import get_language

from firma.organiser.updates import services

register = template.Library()


@register.simple_tag
def published_updates(petition) -> list:
    return services.published(petition, get_language())
