"""Closing, archiving and previewing a petition from the admin (editors and up)."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from firma.organiser import access
from firma.organiser.lifecycle import services as lifecycle
from firma.petitions.models import Petition, PetitionText
from firma.petitions.page.rendering import petition_context
from firma.petitions.signing.forms import SignatureForm
from firma.tenancy.roles import EDITOR


def change_page(petition: Petition) -> str:
    return reverse("admin:petitions_petition_change", args=[petition.pk])


def petition_admin():
    return admin.site.get_model_admin(Petition)


def transition_view(request: HttpRequest, object_id: str, step: str) -> HttpResponse:
    """Ask (GET), then close or archive the petition (POST)."""
    petition = access.petition_for(request, object_id, EDITOR)
    closing = step == "close"
    if request.method == "POST":
        done = (lifecycle.close if closing else lifecycle.archive)(petition, request.user)
        if done:
            messages.success(
                request,
                _("The petition is closed.") if closing else _("The petition is archived."),
            )
        else:
            messages.warning(request, _("The petition's status had changed: nothing was done."))
        return redirect(change_page(petition))
    allowed = petition.status in (lifecycle.CLOSABLE if closing else lifecycle.ARCHIVABLE)
    context = access.context(
        request,
        petition,
        _("Close the petition") if closing else _("Archive the petition"),
        closing=closing,
        allowed=allowed,
    )
    return render(request, "organiser/lifecycle_confirm.html", context, status=200)


@require_http_methods(["GET", "HEAD", "POST"])
def close_view(request: HttpRequest, object_id: str) -> HttpResponse:
    return transition_view(request, object_id, "close")


@require_http_methods(["GET", "HEAD", "POST"])
def archive_view(request: HttpRequest, object_id: str) -> HttpResponse:
    return transition_view(request, object_id, "archive")


@require_POST
def preview_view(request: HttpRequest, object_id: str) -> HttpResponse:
    """The public page as the change form's unsaved data would make it: the button posts the
    whole form here instead of saving it."""
    petition = access.petition_for(request, object_id, EDITOR)
    model_admin = petition_admin()
    form = model_admin.get_form(request, petition, change=True)(
        request.POST, request.FILES, instance=petition
    )
    formsets = [
        formset(
            request.POST,
            request.FILES,
            instance=petition,
            prefix=formset.get_default_prefix(),
            queryset=inline.get_queryset(request),
        )
        for formset, inline in model_admin.get_formsets_with_inlines(request, petition)
    ]
    valid = form.is_valid()
    valid = all([formset.is_valid() for formset in formsets]) and valid
    if not valid:
        errors = [form.errors, *[error for formset in formsets for error in formset.errors]]
        context = access.context(
            request, petition, _("Preview"), errors=[e for e in errors if e], formsets=formsets
        )
        return render(request, "organiser/preview_errors.html", context, status=400)
    deleted = [text for formset in formsets for text in formset.deleted_forms]
    texts = [
        text.instance
        for formset in formsets
        for text in formset.forms
        if text not in deleted and (text.instance.pk or text.has_changed())
    ]
    language = request.POST.get("_preview", petition.default_language)
    return render_preview(request, petition, texts, language)


def render_preview(
    request: HttpRequest, petition: Petition, texts: list[PetitionText], language: str
) -> HttpResponse:
    # The edited texts stand in for the stored ones wherever the page reads petition.texts.
    # The context is the public page's, without the lists of signers and countries.
    edited = PetitionText.objects.none()
    edited._result_cache = texts
    edited._prefetch_done = True
    petition._prefetched_objects_cache = {"texts": edited}
    with translation.override(language):
        context = {
            **petition_context(petition, SignatureForm(petition)),
            "preview_language": language,
            "change_url": change_page(petition),
        }
        response = render(request, "organiser/preview.html", context)
    response["Cache-Control"] = "no-store"
    return response
