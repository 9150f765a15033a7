"""Endorsements in the workspace, under the petition's page: viewers see them; moderators and
above verify them or decline them with a reason."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from firma.organiser import access
from firma.organiser.endorsements import selectors, services
from firma.organiser.endorsements.forms import DeclineForm
from firma.petitions.models import Petition
from firma.tenancy.roles import MODERATOR, VIEWER, may


def list_page(petition: Petition) -> str:
    return reverse("admin:petitions_petition_endorsements", args=[petition.pk])


@require_http_methods(["GET", "HEAD"])
def endorsements(request: HttpRequest, object_id: str) -> HttpResponse:
    petition = access.petition_or_404(request, object_id, VIEWER)
    context = access.context(
        request,
        petition,
        _("Endorsements"),
        review=selectors.review(petition),
        may_decide=may(request.user, MODERATOR, petition),
    )
    return render(request, "organiser/endorsements.html", context)


@require_POST
def verify(request: HttpRequest, object_id: str, signature_id: int) -> HttpResponse:
    petition = access.petition_or_404(request, object_id, MODERATOR)
    signature = selectors.endorsement_of(petition, signature_id)
    if services.verify(signature, request.user):
        messages.success(request, _("The endorsement is verified: the organisation is listed."))
    else:
        messages.warning(request, _("The endorsement was verified already: nothing was done."))
    return HttpResponseRedirect(list_page(petition))


@require_http_methods(["GET", "HEAD", "POST"])
def decline(request: HttpRequest, object_id: str, signature_id: int) -> HttpResponse:
    petition = access.petition_or_404(request, object_id, MODERATOR)
    signature = selectors.endorsement_of(petition, signature_id)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if services.decline(signature, request.user, form.cleaned_data["reason"]):
            messages.success(
                request, _("The endorsement is declined: the organisation is not listed.")
            )
        else:
            messages.warning(request, _("The endorsement was declined already: nothing was done."))
        return HttpResponseRedirect(list_page(petition))
    context = access.context(
        request, petition, _("Decline an endorsement"), form=form, endorsement=signature
    )
    return render(
        request, "organiser/endorsement_decline.html", context, status=400 if form.errors else 200
    )
