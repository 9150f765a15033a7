"""Reading a petition's partners for the page, the signing form and the links."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from firma.petitions.models import Partner, Petition


def partners_of(petition: Petition) -> QuerySet[Partner]:
    """The partners in their order, without their logos' bytes."""
    return petition.partners.defer("logo")


def partner_with_logo(petition: Petition, slug: str) -> Partner:
    return get_object_or_404(Partner, petition=petition, slug=slug, logo_version__gt="")


def opt_in_wording(partner: Partner) -> str:
    """The words of the partner's consent box, in the active language: stored as shown."""
    return gettext("Keep me informed about the campaigns of %(name)s.") % {"name": partner.name}
