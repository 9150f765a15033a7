"""Whom the petition is addressed to and its deliveries, for the public page."""

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django_countries.fields import Country

from firma.petitions.models import Petition
from firma.petitions.outreach.selectors import deliveries_for, targets_for

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


def shown(target, language: str) -> TargetShown:
    return TargetShown(target.name, target.role_in(language), target.country or None)


@register.simple_tag
def outreach_of(petition: Petition, language: str) -> dict:
    """The targets in `language`, and the deliveries: never their e-mail addresses."""
    deliveries = [
        DeliveryShown(
            delivery.delivered_at,
            delivery.signature_count,
            get_text_list([target.name for target in delivery.targets.all()], _("and")),
            delivery.note,
        )
        for delivery in deliveries_for(petition)
    ]
    return {
        "targets": [shown(target, language) for target in targets_for(petition)],
        "deliveries": deliveries,
    }
