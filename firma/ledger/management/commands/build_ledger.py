"""`manage.py build_ledger [SLUG …]`: bring signatures that predate the ledger into it."""

import time

from django.core.management.base import BaseCommand, CommandError

from firma.ledger import services
from firma.petitions.models import Petition


class Command(BaseCommand):
    help = (
        "Append a confirmation to the ledger for every counted signature it does not know yet, "
        "then sign a head. Run it once, when installing the ledger on an existing database: "
        "it believes what the database holds."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slugs", nargs="*", help="the petitions (all of them if none)")

    def handle(self, *args, slugs, **options) -> None:
        petitions = Petition.objects.order_by("pk")
        if slugs:
            petitions = petitions.filter(slug__in=slugs)
            missing = set(slugs) - set(petitions.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No petition with the slug {', '.join(sorted(missing))}.")
        for petition in petitions:
            started = time.monotonic()
            added = services.build(petition)
            services.append_pending()
            services.sign_heads([petition.pk])
            seconds = time.monotonic() - started
            self.stdout.write(f"{petition.slug}: {added} signatures added in {seconds:.1f} s")
