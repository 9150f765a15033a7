"""The export page of a petition: /admin/petitions/petition/<id>/export/."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from firma.organiser.access import petition_or_404
from firma.organiser.audit.models import AuditEntry
from firma.organiser.exports.forms import ExportForm
from firma.organiser.exports.services import (
    INTERNAL_ROLE,
    chosen,
    csv_response,
    export_name,
    select,
    signature_rows,
    xlsx_response,
)
from firma.petitions import counting
from firma.petitions.models import Petition
from firma.tenancy.roles import VIEWER, may


def export(request: HttpRequest, object_id: str) -> HttpResponse:
    """The choice of format, columns and filters (GET), then the download (POST).

    A POST, because each download is written to the audit log: who took which signers' data.
    """
    petition = petition_or_404(request, object_id, VIEWER)
    may_internal = may(request.user, INTERNAL_ROLE, petition)
    form = ExportForm(petition, may_internal, request.POST or None)
    if request.method == "POST" and form.is_valid():
        options = form.cleaned_data
        AuditEntry.objects.create(
            organisation_id=petition.organisation_id,
            petition=petition,
            user=request.user,
            action="export",
            detail=form.describe(),
        )
        if options["format"] == "pdf":
            # reportlab and its fonts load with the first document, not with every process.
            from firma.organiser.exports.pdf import delivery_pdf

            return delivery_pdf(petition, select(petition, options), options)
        internal = options["internal"]
        signatures = select(petition, options).order_by("confirmed_at", "pk")
        columns = chosen(options["columns"], internal, form.question_columns)
        rows = signature_rows(signatures, columns, internal)
        if options["format"] == "xlsx":
            return xlsx_response(rows, export_name(petition.slug, "xlsx"))
        return csv_response(rows, export_name(petition.slug, "csv"))
    context = {
        **admin.site.each_context(request),
        "title": _("Export signatures"),
        "opts": Petition._meta,
        "original": petition,
        "form": form,
        "may_internal": may_internal,
        "count": counting.total(petition),
    }
    return TemplateResponse(request, "organiser/export.html", context)
