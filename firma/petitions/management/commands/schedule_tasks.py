from django.core.management.base import BaseCommand

from firma.petitions import retention


class Command(BaseCommand):
    help = (
        "Queue the periodic background tasks (the erasure of expired signers' data) unless "
        "they are queued already. Safe to run at every start."
    )

    def handle(self, *args, **options) -> None:
        name = retention.anonymise_expired_petitions.name
        if retention.schedule():
            self.stdout.write(f"Queued {name}.")
        else:
            self.stdout.write(f"{name} is queued already.")
