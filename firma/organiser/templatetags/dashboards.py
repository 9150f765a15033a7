from django import template
from django.contrib.auth.models import AbstractBaseUser

from firma.petitions.models import Petition
from firma.petitions.selectors import petitions_for

register = template.Library()

# The admin index lists the petitions being run; archived ones are a click further.
MOST = 20


@register.simple_tag
def dashboard_petitions(user: AbstractBaseUser) -> list[tuple[Petition, str]]:
    """(petition, title) of the user's petitions that are not archived, newest first."""
    petitions = (
        petitions_for(user)
        .exclude(status=Petition.Status.ARCHIVED)
        .prefetch_related("texts")
        .order_by("-created_at")[:MOST]
    )
    return [
        (petition, petition.text_for(petition.default_language).title) for petition in petitions
    ]
