"""Hooks for django-axes, which throttles guessing at the admin login (see AXES_* settings)."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from firma.core.clients import client_ip as connecting_ip


def client_ip(request: HttpRequest) -> str:
    """The address axes counts failures by: the same one the signing defences see."""
    return str(connecting_ip(request))


def lockout(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """A page saying what happened and for how long, instead of axes' bare text."""
    context = {
        **admin.site.each_context(request),
        "minutes": max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    response = TemplateResponse(request, "organiser/lockout.html", context, status=429)
    return response.render()
