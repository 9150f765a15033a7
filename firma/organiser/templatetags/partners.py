from django import template
from django.contrib.auth.models import AbstractBaseUser

from firma.organiser.partners.selectors import partners_seen_by
from firma.petitions.models import Partner

register = template.Library()

MOST = 20


@register.simple_tag
def partner_views(user: AbstractBaseUser) -> list[tuple[Partner, str]]:
    """(partner, petition title) of the partnerships of the user's organisations."""
    return [
        (partner, partner.petition.text_for(partner.petition.default_language).title)
        for partner in partners_seen_by(user)[:MOST]
    ]
