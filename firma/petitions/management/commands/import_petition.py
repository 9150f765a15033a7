from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction

from firma.petitions.importing import PetitionFileError, import_petition_file


class Command(BaseCommand):
    help = (
        "Create or update petitions from Markdown files with TOML front matter. A file with the "
        "slug of an existing petition adds or updates its translation in the file's language."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")

    @no_translations
    def handle(self, *args, files: list[Path], **options) -> None:
        try:
            # All files or none: a bad file leaves the database as it was.
            with transaction.atomic():
                results = [(path, *import_petition_file(path)) for path in files]
        except PetitionFileError as error:
            raise CommandError(str(error)) from error
        for path, petition, created in results:
            verb = "Created" if created else "Updated"
            self.stdout.write(f"{verb} petition '{petition.slug}' from {path}")
