from django.core.management.base import BaseCommand

from firma.petitions.retention import anonymise_expired


class Command(BaseCommand):
    help = (
        "Erase the personal data of the signers of every petition closed for longer than its "
        "retention period. The counts stay."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only list the petitions and signatures that would be erased.",
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        erasures = anonymise_expired(dry_run=dry_run)
        if not erasures:
            self.stdout.write("No petition is due for erasure.")
        verb = "Would erase" if dry_run else "Erased"
        for erasure in erasures:
            self.stdout.write(
                f"{verb} the signers' data of {erasure.petition.slug}: "
                f"{erasure.anonymised} signatures anonymised, "
                f"{erasure.deleted} unconfirmed signatures deleted."
            )
        if dry_run and erasures:
            self.stdout.write("Dry run: nothing was changed.")
