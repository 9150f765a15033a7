"""Tasks queued before an upgrade still run after their functions moved."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

moved = importlib.import_module("firma.petitions.migrations.0011_moved_task_paths")


@pytest.mark.parametrize("path", sorted(moved.MOVED.values()))
def test_every_new_path_names_a_task(path):
    assert isinstance(import_string(path), Task)


@pytest.mark.django_db
def test_queued_tasks_are_pointed_at_where_their_functions_live_now():
    row = DBTaskResult.objects.create(
        task_path="firma.petitions.tasks.send_confirmation_request",
        args_kwargs={"args": [], "kwargs": {"signature_id": 1}},
        backend_name="default",
        run_after=timezone.now(),
    )

    moved.forwards(apps, None)

    row.refresh_from_db()
    assert row.task_path == "firma.petitions.mail.tasks.send_confirmation_request"
    assert row.task.name == "send_confirmation_request"
