"""Health checks for load balancers and monitoring."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

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
