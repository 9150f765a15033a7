from django.db import migrations

# Where each background task lived before the petitions and the organiser's tools were split
# into packages, and where it lives now. Tasks queued before an upgrade name their function by
# its path, and the worker imports that path when it runs them.
MOVED = {
    "firma.petitions.tasks.send_confirmation_request": (
        "firma.petitions.mail.tasks.send_confirmation_request"
    ),
    "firma.petitions.tasks.send_confirmation_requests": (
        "firma.petitions.mail.tasks.send_confirmation_requests"
    ),
    "firma.petitions.tasks.send_already_signed_note": (
        "firma.petitions.mail.tasks.send_already_signed_note"
    ),
    "firma.petitions.recovery.requeue_stalled_tasks": "firma.core.recovery.requeue_stalled_tasks",
    "firma.organiser.lifecycle.close_due_petitions": (
        "firma.organiser.lifecycle.services.close_due_petitions"
    ),
    "firma.organiser.lifecycle.check_milestones": (
        "firma.organiser.lifecycle.services.check_milestones"
    ),
    "firma.organiser.lifecycle.send_milestone_email": (
        "firma.organiser.lifecycle.services.send_milestone_email"
    ),
    "firma.organiser.updates.send_update": "firma.organiser.updates.services.send_update",
}


def rename(apps, paths: dict[str, str]) -> None:
    results = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in paths.items():
        results.objects.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    rename(apps, MOVED)


def backwards(apps, schema_editor):
    rename(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0010_targets_deliveries_responses"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
