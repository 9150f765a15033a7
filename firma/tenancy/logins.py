"""Hooks for django-axes, which throttles guessing at the admin login (see AXES_* settings).

Failures are counted three ways, each with its own limit (LOGIN_FAILURE_LIMITS, in the order of
AXES_LOCKOUT_PARAMETERS): a user name from one address, anything from one address, and one user
name from anywhere. An IPv6 address counts as its /64, which one subscriber holds whole: rotating
addresses inside it gives no new guesses.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from firma.core.clients import client_ip as connecting_ip


def client_ip(request: HttpRequest) -> str:
    """The address axes counts failures by: the one the signing defences see, and for IPv6
    the first address of its /64 network (axes stores an address, not a network)."""
    address = connecting_ip(request)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False).network_address)
    return str(address)


class LoginAttempts(AxesDatabaseHandler):
    """axes' database handler, with a limit of its own for each way of counting."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # axes compares this number with one limit (AXES_FAILURE_LIMIT): it reaches that
        # limit exactly when one of the counts reaches its own.
        limit = get_failure_limit(request, credentials)
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        limits = settings.LOGIN_FAILURE_LIMITS
        if any(count >= own for count, own in zip(counts, limits, strict=True)):
            return limit
        return min(counts[0] if counts else 0, limit - 1)


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
