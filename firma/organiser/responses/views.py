"""Responses and the outcome in the admin, under the petition's page: viewers see the
responses; editors and owners publish, decline, enter and translate them, and record the
outcome."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from firma.organiser import access
from firma.organiser.responses import services
from firma.organiser.responses.forms import DeclineForm, EnterForm, OutcomeForm, TranslationForm
from firma.petitions.models import Petition
from firma.petitions.outreach import selectors as outreach
from firma.tenancy.roles import EDITOR, VIEWER, may


def list_page(petition: Petition) -> str:
    return reverse("admin:petitions_petition_responses", args=[petition.pk])


@require_http_methods(["GET", "HEAD"])
def responses(request: HttpRequest, object_id: str) -> HttpResponse:
    petition = access.petition_or_404(request, object_id, VIEWER)
    context = access.context(
        request,
        petition,
        _("Responses"),
        responses=outreach.responses_to_review(petition),
        may_decide=may(request.user, EDITOR, petition),
        has_targets=petition.targets.exists(),
    )
    return render(request, "organiser/responses.html", context)


@require_POST
def publish(request: HttpRequest, object_id: str, response_id: int) -> HttpResponse:
    petition = access.petition_or_404(request, object_id, EDITOR)
    response = outreach.response_of(petition, response_id)
    if services.publish(response, request.user):
        messages.success(request, _("The response is published and sent to the signers."))
    else:
        messages.warning(request, _("The response was not waiting any more: nothing was done."))
    return HttpResponseRedirect(list_page(petition))


@require_http_methods(["GET", "HEAD", "POST"])
def decline(request: HttpRequest, object_id: str, response_id: int) -> HttpResponse:
    petition = access.petition_or_404(request, object_id, EDITOR)
    response = outreach.response_of(petition, response_id)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.decline(response, request.user, form.cleaned_data["reason"]):
            messages.success(request, _("The response is declined: it is not shown."))
        else:
            messages.warning(request, _("The response was not waiting any more: nothing was done."))
        return HttpResponseRedirect(list_page(petition))
    context = access.context(
        request, petition, _("Decline a response"), form=form, response=response
    )
    return render(request, "organiser/response_decline.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def enter(request: HttpRequest, object_id: str) -> HttpResponse:
    petition = access.petition_or_404(request, object_id, EDITOR)
    form = EnterForm(petition, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.enter(
            petition,
            request.user,
            target=data["target"],
            text=data["text"],
            language=data["language"],
            received_via=data["received_via"],
            received_at=data["received_at"],
            document_url=data["document_url"],
            publish_now=data["publish_now"],
        )
        messages.success(request, _("The response is entered."))
        return HttpResponseRedirect(list_page(petition))
    context = access.context(request, petition, _("Enter a response received elsewhere"), form=form)
    return render(request, "organiser/response_enter.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def translate(request: HttpRequest, object_id: str, response_id: int) -> HttpResponse:
    petition = access.petition_or_404(request, object_id, EDITOR)
    response = outreach.response_of(petition, response_id)
    form = TranslationForm(response, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.translate(response, request.user, data["language"], data["text"])
        messages.success(request, _("The translation is saved."))
        return HttpResponseRedirect(list_page(petition))
    context = access.context(
        request, petition, _("Translate a response"), form=form, response=response
    )
    return render(request, "organiser/response_translate.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def outcome(request: HttpRequest, object_id: str) -> HttpResponse:
    petition = access.petition_or_404(request, object_id, EDITOR)
    form = OutcomeForm(request.POST or None, instance=petition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_outcome(petition, request.user, data["outcome"], data["outcome_text"])
        messages.success(request, _("The outcome is recorded and shown on the petition's page."))
        return HttpResponseRedirect(reverse("admin:petitions_petition_change", args=[petition.pk]))
    context = access.context(request, petition, _("Record the outcome"), form=form)
    return render(request, "organiser/outcome.html", context)
