"""The paper import in the admin: upload a file, map its columns and check it, then import.

/admin/petitions/petition/<id>/paper/ takes the file; /paper/<token>/ shows the mapping, the
validation report (GET, which changes nothing) and imports (POST); /paper/<token>/cancel/
deletes the upload. Editors of the petition only.
"""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from firma.organiser.access import petition_or_404
from firma.organiser.paper import services as paper
from firma.organiser.paper.forms import MappingForm, UploadForm
from firma.organiser.paper.uploads import Upload
from firma.petitions.models import Petition
from firma.tenancy.roles import EDITOR

# Names of the uploads in the session, to show the organiser the file they are working on.
SESSION_KEY = "firma_paper_uploads"


def context(request: HttpRequest, petition: Petition, **extra) -> dict:
    return {
        **admin.site.each_context(request),
        "title": _("Import paper signatures"),
        "opts": Petition._meta,
        "original": petition,
        **extra,
    }


def upload(request: HttpRequest, object_id: str) -> HttpResponse:
    petition = petition_or_404(request, object_id, EDITOR)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        stored = Upload.store(petition, request.user.pk, form.cleaned_data["file"], form.extension)
        names = request.session.get(SESSION_KEY, {})
        request.session[SESSION_KEY] = {**names, stored.token: form.cleaned_data["file"].name}
        return HttpResponseRedirect(
            reverse("admin:petitions_petition_paper_review", args=[petition.pk, stored.token])
        )
    return TemplateResponse(
        request, "organiser/paper_upload.html", context(request, petition, form=form)
    )


def review(request: HttpRequest, object_id: str, token: str) -> HttpResponse:
    """The mapping; with ?check, the validation report; a POST imports."""
    petition = petition_or_404(request, object_id, EDITOR)
    stored = Upload.find(petition, request.user.pk, token)
    filename = request.session.get(SESSION_KEY, {}).get(token, stored.path.name)
    table = stored.table()
    data = request.GET if "check" in request.GET else None
    form = MappingForm(table.headers(), request.POST if request.method == "POST" else data)
    report = None
    if form.is_bound and form.is_valid():
        commit = request.method == "POST"
        report = paper.run(
            petition,
            table,
            form.mapping(),
            commit=commit,
            public=form.cleaned_data["public"],
            user=request.user,
            filename=filename,
        )
        if commit:
            stored.delete()
            message = ngettext(
                "%(count)d paper signature imported from %(file)s; %(skipped)d rows skipped.",
                "%(count)d paper signatures imported from %(file)s; %(skipped)d rows skipped.",
                report.accepted,
            ) % {"count": report.accepted, "file": filename, "skipped": report.skipped}
            messages.success(request, message)
            return HttpResponseRedirect(
                reverse("admin:petitions_petition_change", args=[petition.pk])
            )
    extra = {"form": form, "report": report, "filename": filename, "token": token}
    page = context(request, petition, **extra)
    return TemplateResponse(request, "organiser/paper_review.html", page)


@require_POST
def cancel(request: HttpRequest, object_id: str, token: str) -> HttpResponse:
    petition = petition_or_404(request, object_id, EDITOR)
    Upload.find(petition, request.user.pk, token).delete()
    messages.info(request, _("The upload was deleted; nothing was imported."))
    upload_page = reverse("admin:petitions_petition_paper_import", args=[petition.pk])
    return HttpResponseRedirect(upload_page)
