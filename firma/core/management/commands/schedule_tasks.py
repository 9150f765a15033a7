from django.core.management.base import BaseCommand

from firma.core import periodic


class Command(BaseCommand):
    help = (
        "Queue the periodic background tasks (the erasure of expired signers' data, the folding "
        "and checking of the counts, closing petitions at their closing date, milestones, "
        "reminders, the recovery of stalled tasks) unless they are queued already. Safe to run "
        "at every start."
    )

    def handle(self, *args, **options) -> None:
        for task in periodic.registered:
            if periodic.schedule(task):
                self.stdout.write(f"Queued {task.name}.")
            else:
                self.stdout.write(f"{task.name} is queued already.")
