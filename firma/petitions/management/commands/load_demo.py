from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from firma.petitions.models import Petition

DEMO_DIR = settings.BASE_DIR / "demo"


class Command(BaseCommand):
    help = "Load the demo petition (demo/*.md) into an empty database; do nothing otherwise."

    def handle(self, *args, **options) -> None:
        if Petition.objects.exists():
            self.stdout.write("The database has petitions already: demo not loaded.")
            return
        call_command("import_petition", *sorted(DEMO_DIR.glob("*.md")), stdout=self.stdout)
