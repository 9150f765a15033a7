"""Run by tests/petitions/test_counting.py in separate processes, against one database:

    python -m tests.petitions.counting_load setup SLUG N
    python -m tests.petitions.counting_load confirm SLUG FIRST LAST THREADS
    python -m tests.petitions.counting_load check SLUG

`confirm` confirms the signatures numbered FIRST..LAST-1 from THREADS threads, each twice (the
second time must change nothing), while another thread folds the tallies again and again.
"""

import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import django

django.setup()

from django.db import connection  # noqa: E402

from firma.petitions import counting  # noqa: E402
from firma.petitions.models import Petition, Signature  # noqa: E402
from firma.petitions.signing import services as signing  # noqa: E402
from tests.conftest import make_petition  # noqa: E402

COUNTRIES = ["AR", "CL", "ES", "FR", ""]


def setup(slug: str, n: int) -> None:
    petition = make_petition(slug=slug)
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            full_name=f"Signer {number}",
            email=f"s{number}@example.org",
            country=COUNTRIES[number % len(COUNTRIES)],
            language="en",
        )
        for number in range(n)
    )


def confirm(slug: str, first: int, last: int, threads: int) -> None:
    petition = Petition.objects.get(slug=slug)
    done = threading.Event()

    def fold_until_done() -> None:
        while not done.is_set():
            counting.fold(batch=7)
        connection.close()

    def confirm_one(number: int) -> None:
        signature = Signature.objects.get(petition=petition, email=f"s{number}@example.org")
        signing.confirm(signature)
        signing.confirm(Signature.objects.get(pk=signature.pk))
        connection.close()

    folder = threading.Thread(target=fold_until_done)
    folder.start()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(confirm_one, range(first, last)))
    done.set()
    folder.join()


def check(slug: str) -> None:
    petition = Petition.objects.get(slug=slug)
    counting.fold()
    print(
        json.dumps(
            {
                "counts": counting.read_counts(petition.pk),
                "recount": counting.recount(petition),
                "drift": counting.drift(petition.pk),
            }
        )
    )


if __name__ == "__main__":
    command, slug, *numbers = sys.argv[1:]
    {"setup": setup, "confirm": confirm, "check": check}[command](slug, *map(int, numbers))
