from django.core.management.base import BaseCommand

from firma.petitions.mail import reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders due now for signers who have not confirmed (what the periodic task "
        "does every few minutes); the task worker sends them."
    )

    def handle(self, *args, **options) -> None:
        count = reminders.send_due()
        self.stdout.write(f"Queued {count} reminder{'' if count == 1 else 's'}.")
