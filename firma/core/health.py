"""Health checks for load balancers and monitoring."""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firma.core.clients import is_trusted, parse_ip

logger = logging.getLogger("firma.core.health")


@never_cache
@require_safe
def live(request: HttpRequest) -> HttpResponse:
    """The process answers. Touches nothing else, so a slow database never takes it out."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    """The database, the cache and the task queue all answer: 200, else 503 with the culprits."""
    checks = {"database": check_database, "cache": check_cache, "tasks": check_tasks}
    report = {}
    for name, check in checks.items():
        try:
            report[name] = check()
        except Exception as error:
            logger.warning("Health check %s failed: %s", name, error)
            report[name] = f"error: {type(error).__name__}"
    healthy = not any(str(value).startswith("error") for value in report.values())
    return JsonResponse(report, status=200 if healthy else 503)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key, value = f"health:{get_random_string(12)}", get_random_string(12)
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)
    return "ok"


def check_tasks() -> int:
    """The number of tasks waiting to run: reachable, and a backlog is visible."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()


class HealthProbeMiddleware:
    """Answers a load balancer's probe before the rest of the stack can turn it away.

    Load balancers and `curl` on the machine probe the app server directly, over plain http and
    with whatever Host they have (an address, a port): the https redirect and the ALLOWED_HOSTS
    check would answer 301 or 400 instead of the health. Probes from loopback or a trusted proxy
    skip both; anyone else is treated like any other request. First in MIDDLEWARE.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.views: dict[str, Callable[[HttpRequest], HttpResponseBase]] = {
            "/health/live": live,
            "/health/ready": ready,
        }

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        view = self.views.get(request.path_info)
        if view is not None and from_probe_address(request):
            return view(request)
        return self.get_response(request)


def from_probe_address(request: HttpRequest) -> bool:
    """The connecting address (never X-Forwarded-For) is loopback or a trusted proxy."""
    address = parse_ip(request.META.get("REMOTE_ADDR", ""))
    return address is not None and (address.is_loopback or is_trusted(address))
