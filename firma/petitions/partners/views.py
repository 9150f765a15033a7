"""A partner's logo, served by firma itself: the page asks no other site for anything."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.views.decorators.http import require_safe

from firma.petitions.models import Petition
from firma.petitions.partners.selectors import partner_with_logo
from firma.petitions.selectors import public_petition

# Its address changes with the logo (?v=), so browsers and caches may keep it long.
LOGO_MAX_AGE = 7 * 24 * 3600


@require_safe
def logo(request: HttpRequest, slug: str, partner: str) -> HttpResponse:
    petition = public_petition(request, slug, texts=False)
    found = partner_with_logo(petition, partner)
    etag = quote_etag(found.logo_version)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(bytes(found.logo), content_type="image/png")
    response["ETag"] = etag
    if petition.status == Petition.Status.DRAFT:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=LOGO_MAX_AGE)
    return response
