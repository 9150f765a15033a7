"""Reading a petition's partners for the page, the signing form and the links."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from firma.petitions.models import Partner, Petition


def partners_of(petition: Petition) -> QuerySet[Partner]:
    """The partners in their order, without their logos' bytes."""
    return petition.partners.defer("logo")


def partner_with_logo(petition: Petition, slug: str) -> Partner:
    return get_object_or_404(Partner, petition=petition, slug=slug, logo_version__gt="")
