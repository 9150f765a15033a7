"""The petition list's bulk actions: close, archive."""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from firma.organiser.lifecycle import services as lifecycle
from firma.tenancy.roles import EDITOR


@admin.action(description=gettext_lazy("Close the selected petitions"), permissions=["change"])
def close_petitions(model_admin, request: HttpRequest, queryset) -> None:
    closed = [
        petition
        for petition in model_admin.restrict(queryset, request, EDITOR)
        if lifecycle.close(petition, request.user)
    ]
    message = ngettext("%(count)d petition closed.", "%(count)d petitions closed.", len(closed)) % {
        "count": len(closed)
    }
    model_admin.message_user(request, message, messages.SUCCESS)


@admin.action(
    description=gettext_lazy("Archive the selected closed petitions"), permissions=["change"]
)
def archive_petitions(model_admin, request: HttpRequest, queryset) -> None:
    archived = [
        petition
        for petition in model_admin.restrict(queryset, request, EDITOR)
        if lifecycle.archive(petition, request.user)
    ]
    message = ngettext(
        "%(count)d petition archived.", "%(count)d petitions archived.", len(archived)
    ) % {"count": len(archived)}
    model_admin.message_user(request, message, messages.SUCCESS)
