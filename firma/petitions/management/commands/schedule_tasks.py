from django.core.management.base import BaseCommand

from firma.core import periodic as periodic
from firma.core import recovery as recovery
from firma.organiser.lifecycle import services as lifecycle
from firma.petitions import counting, retention


class Command(BaseCommand):
    help = (
        "Queue the periodic background tasks (the erasure of expired signers' data, the folding "
        "and checking of the counts, closing petitions at their closing date, milestones) unless "
        "they are queued already. Safe to run at every start."
    )

    def handle(self, *args, **options) -> None:
        self.report(retention.anonymise_expired_petitions, retention.schedule())
        for task in [
            counting.fold_tallies,
            counting.reconcile_tallies,
            recovery.requeue_stalled_tasks,
            *lifecycle.PERIODIC,
        ]:
            self.report(task, periodic.schedule(task))

    def report(self, periodic, queued: bool) -> None:
        if queued:
            self.stdout.write(f"Queued {periodic.name}.")
        else:
            self.stdout.write(f"{periodic.name} is queued already.")
