"""`manage.py verify_ledger URL`: scripts/verify_ledger.py, run from firma (one verifier)."""

import importlib.util
import sys
from functools import cache
from types import ModuleType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


@cache
def verifier() -> ModuleType:
    path = settings.BASE_DIR / "scripts" / "verify_ledger.py"
    spec = importlib.util.spec_from_file_location("verify_ledger", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("verify_ledger", module)
    spec.loader.exec_module(module)
    return module


class Command(BaseCommand):
    help = "Check a petition's public signature ledger on any firma site (see docs/ledger.md)."
    # Tests hand in a fetch function that reads through the test client.
    stealth_options = ("fetch",)

    def add_arguments(self, parser) -> None:
        parser.add_argument("url", help="the petition's page, or its API address")
        parser.add_argument("--saved-head", help="a head saved earlier (JSON) to check against")
        parser.add_argument("--save-head", help="write the latest head to this file")
        parser.add_argument("--proof", help="a signer's proof (JSON) to check")
        parser.add_argument("--no-count", action="store_true", help="skip the count check")

    def handle(self, *args, url, saved_head, save_head, proof, no_count, **options) -> None:
        argv = [url]
        for flag, value in (("--saved-head", saved_head), ("--save-head", save_head)):
            if value:
                argv += [flag, value]
        if proof:
            argv += ["--proof", proof]
        if no_count:
            argv.append("--no-count")
        fetch = options.get("fetch") or verifier().fetch_url
        if verifier().main(argv, fetch=fetch) != 0:
            raise CommandError("The ledger does not verify (see above).")
