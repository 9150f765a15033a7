"""The delivery page of a petition (/admin/petitions/petition/<id>/delivery/), and the
signatures document its targets open through their private link."""

from datetime import datetime, time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from firma.organiser import access
from firma.organiser.delivery import services
from firma.organiser.delivery.forms import DeliveryForm, OfflineDeliveryForm
from firma.organiser.exports.pdf import delivery_pdf
from firma.petitions import counting
from firma.petitions.models import Petition
from firma.petitions.outreach.selectors import (
    deliveries_for,
    recipient_for,
    signatures_for_targets,
)
from firma.petitions.outreach.tokens import DOCUMENT_SALT, LinkExpired, LinkInvalid
from firma.tenancy.roles import EDITOR, VIEWER, may


def page(
    request: HttpRequest,
    petition: Petition,
    form: DeliveryForm | None = None,
    offline: OfflineDeliveryForm | None = None,
    **extra,
) -> HttpResponse:
    count = counting.total(petition)
    context = access.context(
        request,
        petition,
        _("Deliver the petition"),
        form=form or DeliveryForm(petition),
        offline=offline or OfflineDeliveryForm(petition, count),
        count=count,
        may_deliver=may(request.user, EDITOR, petition),
        deliveries=deliveries_for(petition).prefetch_related("recipients__target"),
        **extra,
    )
    status = 400 if (form and form.errors) or (offline and offline.errors) else 200
    return TemplateResponse(request, "organiser/delivery.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def delivery(request: HttpRequest, object_id: str) -> HttpResponse:
    """The forms (GET); a preview of the e-mail (POST with "preview"), or the sending (POST)."""
    if request.method != "POST":
        return page(request, access.petition_or_404(request, object_id, VIEWER))
    petition = access.petition_or_404(request, object_id, EDITOR)
    form = DeliveryForm(petition, request.POST)
    if not form.is_valid():
        return page(request, petition, form=form)
    targets, message = list(form.cleaned_data["targets"]), form.cleaned_data["message"]
    if "preview" in request.POST:
        return page(
            request, petition, form=form, preview=services.preview(petition, targets, message)
        )
    services.deliver(petition, targets, message, request.user)
    messages.success(request, _("The petition is being e-mailed to its targets."))
    return redirect(request.path)


@require_POST
def record(request: HttpRequest, object_id: str) -> HttpResponse:
    """Record a delivery made by hand or by post."""
    petition = access.petition_or_404(request, object_id, EDITOR)
    offline = OfflineDeliveryForm(petition, counting.total(petition), request.POST)
    if not offline.is_valid():
        return page(request, petition, offline=offline)
    data = offline.cleaned_data
    delivered_at = timezone.make_aware(datetime.combine(data["delivered_on"], time(12)))
    services.record_offline(
        petition,
        list(data["targets"]),
        delivered_at,
        data["signature_count"],
        data["note"],
        request.user,
    )
    messages.success(request, _("The delivery is recorded."))
    return redirect("admin:petitions_petition_delivery", petition.pk)


@require_safe
def document(request: HttpRequest, token: str) -> HttpResponse:
    """The signatures as a target receives them, streamed, whatever their number: names only
    of signers listed publicly (or of every signer when the petition delivers them), never an
    e-mail address, only confirmed and valid signatures that no moderator hid."""
    try:
        recipient = recipient_for(token, DOCUMENT_SALT)
    except (LinkExpired, LinkInvalid) as error:
        expired = isinstance(error, LinkExpired)
        with translation.override(translation.get_language_from_request(request)):
            return render(
                request,
                "petitions/outreach/link_invalid.html",
                {"expired": expired},
                status=410 if expired else 404,
            )
    petition = recipient.delivery.petition
    options = {
        "language": petition.default_language,
        "group_by_country": True,
        "unlisted_names": petition.deliver_unlisted_names,
    }
    response = delivery_pdf(petition, signatures_for_targets(petition), options)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
