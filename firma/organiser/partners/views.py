"""The partner views: /admin/petitions/petition/<id>/partners/ lists a petition's partners
for its organisers; …/partners/<partner id>/ is one partner's view, and its export."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from firma.organiser.access import context, petition_or_404
from firma.organiser.exports.services import csv_response, export_name
from firma.organiser.partners import services
from firma.organiser.partners.selectors import figures, partner_or_404
from firma.petitions.models import Petition
from firma.petitions.sharing.links import embed_snippet, partner_url
from firma.tenancy.roles import MODERATOR, VIEWER, may, member_of


@require_safe
def partners(request: HttpRequest, object_id: str) -> HttpResponse:
    petition = petition_or_404(request, object_id, VIEWER)
    entries = [
        {"partner": partner, "url": partner_url(petition, partner)}
        for partner in petition.partners.defer("logo").select_related("organisation")
    ]
    page = context(request, petition, _("Partners"), entries=entries)
    return TemplateResponse(request, "organiser/partners.html", page)


@require_safe
def partner_view(request: HttpRequest, object_id: str, partner_id: int) -> HttpResponse:
    partner = partner_or_404(request, object_id, partner_id)
    petition: Petition = partner.petition
    may_export = member_of(request.user, partner.organisation_id) or may(
        request.user, MODERATOR, petition
    )
    page = {
        **admin.site.each_context(request),
        "title": _("Partner view: %(name)s") % {"name": partner.name},
        "partner": partner,
        "petition": petition,
        "petition_title": petition.text_for(petition.default_language).title,
        "organiser": may(request.user, VIEWER, petition),
        "figures": figures(partner),
        "share_url": partner_url(petition, partner),
        "embed_code": embed_snippet(petition, partner),
        "may_export": may_export,
    }
    return TemplateResponse(request, "organiser/partner.html", page)


@require_POST
def partner_export(request: HttpRequest, object_id: str, partner_id: int) -> HttpResponse:
    """A POST: each download is written to the audit log (who took which signers' data)."""
    partner = partner_or_404(request, object_id, partner_id, export=True)
    name = export_name(f"{partner.petition.slug}-{partner.slug}", "csv")
    return csv_response(services.export(partner, request.user), name)
