"""Periodic tasks: each run queues the next one, and `manage.py schedule_tasks` starts them.

Each app names its periodic tasks with register() in its AppConfig.ready(), so that the command
knows them all without importing any app.
"""

from datetime import datetime

from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult


def schedule(periodic: Task, run_after: datetime | None = None) -> bool:
    """Queue a periodic task unless a run is queued already; True if this queued one.

    The run in progress is RUNNING, not READY, so it can queue its successor.
    """
    queued = DBTaskResult.objects.filter(
        task_path=periodic.module_path, status=TaskResultStatus.READY
    )
    if queued.exists():
        return False
    (periodic.using(run_after=run_after) if run_after else periodic).enqueue()
    return True


registered: list[Task] = []


def register(*periodic: Task) -> None:
    """Name periodic tasks for `manage.py schedule_tasks`."""
    registered.extend(task for task in periodic if task not in registered)
