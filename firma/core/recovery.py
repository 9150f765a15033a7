"""Tasks whose worker died, and the results of finished ones.

A worker killed in the middle of a task (a crash, SIGKILL, a machine lost) leaves its row
RUNNING for ever, and django-tasks-db never picks it up again: a confirmation e-mail would be
lost. Every so often, tasks RUNNING for longer than TASK_STALL_SECONDS are put back in the queue.
The e-mail tasks are safe to run twice (tasks.deliver() notes what was sent); other tasks must
be too, which is why the long ones work in short batches.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from firma.core.periodic import schedule

# How long the results of finished tasks are kept.
KEEP_SUCCESSFUL = timedelta(days=1)
KEEP_FAILED = timedelta(days=7)

logger = logging.getLogger("firma.tasks")


def interval() -> timedelta:
    """How often to look: often enough to notice within about half the stall time."""
    return timedelta(seconds=max(1, min(30, settings.TASK_STALL_SECONDS // 2)))


def requeue_stalled(now: datetime | None = None) -> int:
    """Put tasks RUNNING for too long back in the queue; returns how many."""
    now = now or timezone.now()
    stalled = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - timedelta(seconds=settings.TASK_STALL_SECONDS),
    )
    count = stalled.update(status=TaskResultStatus.READY, started_at=None, run_after=now)
    if count:
        logger.warning("Put %s stalled tasks back in the queue", count)
    return count


def prune_finished(now: datetime | None = None) -> int:
    """Forget the results of tasks that finished long ago: the periodic ones alone leave
    tens of thousands a day. Failures are kept longer, for whoever looks into them."""
    now = now or timezone.now()
    old_successes = Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - KEEP_SUCCESSFUL)
    old_failures = Q(status=TaskResultStatus.FAILED, finished_at__lt=now - KEEP_FAILED)
    deleted, _ = DBTaskResult.objects.filter(old_successes | old_failures).delete()
    return deleted


@task()
def requeue_stalled_tasks() -> None:
    """The periodic check: runs, then queues its next run."""
    try:
        requeue_stalled()
        prune_finished()
    finally:
        schedule(requeue_stalled_tasks, run_after=timezone.now() + interval())
