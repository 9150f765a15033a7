"""The moderation pages of a petition: its signatures, one signature's moderation, the audit log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from firma.organiser import access
from firma.organiser.audit import services as audit
from firma.organiser.audit.models import AuditEntry
from firma.organiser.moderation import services as moderation
from firma.organiser.moderation.forms import (
    ModerationForm,
    NameForm,
    ResendForm,
    SearchForm,
    Step,
    available_steps,
)
from firma.petitions.mail import reminders
from firma.petitions.models import Signature
from firma.tenancy.roles import EDITOR, MODERATOR, VIEWER

PER_PAGE = 50

DONE = {
    Step.HIDE_COMMENT: gettext_lazy("The comment is hidden from the public list."),
    Step.SHOW_COMMENT: gettext_lazy("The comment is shown in the public list again."),
    Step.HIDE_ENTRY: gettext_lazy("The signature is hidden from the public list."),
    Step.SHOW_ENTRY: gettext_lazy(
        "The signature is shown in the public list again, if its signer chose so."
    ),
    Step.INVALIDATE: gettext_lazy("The signature is invalidated: it no longer counts."),
    Step.RESTORE: gettext_lazy("The signature counts again."),
}


@require_safe
def signatures_view(request: HttpRequest, object_id: str) -> HttpResponse:
    petition = access.petition_for(request, object_id, MODERATOR)
    search = SearchForm(request.GET)
    signatures = search.filter(petition).order_by("-created_at", "-pk")
    page = Paginator(signatures, PER_PAGE).get_page(request.GET.get("page"))
    context = access.context(request, petition, _("Moderate signatures"), search=search, page=page)
    return render(request, "organiser/moderation.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def signature_view(request: HttpRequest, object_id: str, signature_id: int) -> HttpResponse:
    petition = access.petition_for(request, object_id, MODERATOR)
    signature = access.signature_of(petition, signature_id)
    moderate, rename = ModerationForm(signature), NameForm(signature)
    if request.method == "POST" and "full_name" in request.POST:
        rename = NameForm(signature, request.POST)
        if rename.is_valid():
            data = rename.cleaned_data
            moderation.correct_name(signature, request.user, data["full_name"], data["note"])
            messages.success(request, _("The name is corrected."))
            return redirect(request.path)
    elif request.method == "POST":
        moderate = ModerationForm(signature, request.POST)
        if moderate.is_valid():
            apply(signature, request.user, moderate.cleaned_data)
            messages.success(request, DONE[moderate.cleaned_data["step"]])
            return redirect(request.path)
    context = access.context(
        request,
        petition,
        _("Moderate a signature"),
        signature=signature,
        steps=available_steps(signature),
        moderate=moderate,
        rename=rename,
        entries=labelled(
            AuditEntry.objects.filter(petition=petition, signature_id=signature.pk)
            .select_related("user")
            .order_by("-created_at", "-pk")
        ),
    )
    status = 400 if moderate.errors or rename.errors else 200
    return render(request, "organiser/moderate_signature.html", context, status=status)


def apply(signature: Signature, user, data: dict) -> None:
    step, reason = data["step"], data["reason"].strip()
    if step in (Step.HIDE_COMMENT, Step.SHOW_COMMENT):
        moderation.hide_comment(signature, user, step == Step.HIDE_COMMENT)
    elif step in (Step.HIDE_ENTRY, Step.SHOW_ENTRY):
        moderation.hide_entry(signature, user, step == Step.HIDE_ENTRY)
    elif step == Step.INVALIDATE:
        moderation.invalidate(signature, user, reason)
    else:
        moderation.restore(signature, user)


@require_http_methods(["GET", "HEAD", "POST"])
def resend_view(request: HttpRequest, object_id: str) -> HttpResponse:
    """Confirmation links again for the pending signers of a period: the GET counts them, the
    POST sends."""
    petition = access.petition_for(request, object_id, EDITOR)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = ResendForm(data)
    count = None
    if form.is_bound and form.is_valid():
        since, until = form.period()
        if request.method == "POST":
            sent = reminders.resend(petition, since, until)
            message = ngettext(
                "A confirmation link is on its way to %(count)d pending signer.",
                "Confirmation links are on their way to %(count)d pending signers.",
                sent,
            ) % {"count": sent}
            messages.success(request, message)
            return redirect(request.path)
        count = reminders.resendable(petition, since, until).count()
    context = access.context(
        request, petition, _("Resend confirmation links"), form=form, count=count
    )
    return render(request, "organiser/resend.html", context, status=400 if form.errors else 200)


@require_safe
def audit_view(request: HttpRequest, object_id: str) -> HttpResponse:
    petition = access.petition_for(request, object_id, VIEWER)
    entries = (
        AuditEntry.objects.filter(petition=petition)
        .select_related("user")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    labelled(page)
    context = access.context(request, petition, _("Audit log"), page=page)
    return render(request, "organiser/audit_log.html", context)


def labelled(entries) -> list[AuditEntry]:
    """The entries, each with its action in words."""
    entries = list(entries)
    for entry in entries:
        entry.action_label = audit.label(entry.action)
    return entries
