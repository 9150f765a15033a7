"""The count: appended changes folded into tallies, exact under concurrency, repaired when it
drifts (firma/petitions/counting.py)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firma.core import periodic as periodic
from firma.organiser.moderation import invalidations as invalidations
from firma.petitions import counting
from firma.petitions.models import Signature, Tally, TallyChange
from firma.petitions.signing import services as petition_signing
from tests.conftest import confirmation_path, run_worker, sign, url
from tests.servers import copy_demo_database


def confirm_by_mail(client, mailbox, address: str) -> None:
    run_worker()
    [message] = mailbox.to(address)
    path = confirmation_path(message)
    client.get(path)
    assert client.post(path).status_code == 302


@pytest.mark.django_db
def test_a_confirmation_appends_a_change_and_the_fold_moves_it_into_the_tally(
    client, petition, mailbox
):
    sign(client, petition, email="ana@example.org", country="AR")
    assert counting.total(petition) == 0  # pending signatures do not count
    confirm_by_mail(client, mailbox, "ana@example.org")

    assert list(TallyChange.objects.values_list("country", "delta")) == [("AR", 1)]
    assert counting.total(petition) == 1

    assert counting.fold() == 1
    assert not TallyChange.objects.exists()
    assert Tally.objects.get(petition=petition, country="AR").total == 1
    assert counting.total(petition) == 1
    assert counting.by_country(petition) == [("AR", 1)]
    api = client.get(f"/api/petitions/{petition.slug}").json()
    assert api["signature_count"] == 1
    assert api["signatures_by_country"] == {"AR": 1}


@pytest.mark.django_db
def test_confirming_twice_counts_once(petition):
    signature = Signature.objects.create(petition=petition, full_name="Bo", email="bo@x.org")
    petition_signing.confirm(signature)
    petition_signing.confirm(Signature.objects.get(pk=signature.pk))
    assert counting.total(petition) == 1
    assert TallyChange.objects.count() == 1


@pytest.mark.django_db
def test_readers_share_a_cached_count_for_count_cache_seconds(petition, settings):
    settings.COUNT_CACHE_SECONDS = 60
    signature = Signature.objects.create(petition=petition, full_name="Bo", email="bo@x.org")
    assert counting.total(petition) == 0
    petition_signing.confirm(signature)
    assert counting.total(petition) == 0  # still the cached answer
    counting.forget(petition)
    assert counting.total(petition) == 1


@pytest.mark.django_db
def test_the_reconciliation_repairs_an_injected_drift(petition, caplog):
    for number, country in enumerate(["AR", "AR", "CL"]):
        signature = Signature.objects.create(
            petition=petition, full_name=f"S{number}", email=f"s{number}@x.org", country=country
        )
        petition_signing.confirm(signature)
    counting.fold()
    assert counting.reconcile() == {}  # nothing to repair

    # Drift from three sides: a tally off, a stray change, a row written behind firma's back.
    Tally.objects.filter(petition=petition, country="AR").update(total=7)
    counting.record(petition.pk, "CL", -1)
    Signature.objects.create(
        petition=petition,
        full_name="Imported",
        email="imported@x.org",
        country="FR",
        status=Signature.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    assert counting.total(petition) == 7

    repaired = counting.reconcile()
    assert repaired == {petition.pk: {"AR": -5, "CL": 1, "FR": 1}}
    assert "Count drift repaired" in caplog.text
    assert counting.total(petition) == 4
    assert dict(counting.by_country(petition)) == {"AR": 2, "CL": 1, "FR": 1}
    counting.fold()
    assert counting.drift(petition.pk) == {}
    assert counting.reconcile() == {}


@pytest.mark.django_db
def test_invalidating_restoring_and_deleting_keep_the_count_exact(admin_user, petition):
    for number in range(6):
        signature = Signature.objects.create(
            petition=petition,
            full_name=f"S{number}",
            email=f"s{number}@{'bots.example' if number < 4 else 'x.org'}",
            email_domain="bots.example" if number < 4 else "x.org",
            country="AR" if number % 2 else "CL",
        )
        petition_signing.confirm(signature)
    batch, taken = invalidations.invalidate(
        petition, {"email_domain": "bots.example"}, "bots", admin_user
    )
    assert taken == 4
    assert counting.total(petition) == 2
    assert counting.drift(petition.pk) == {}

    invalidations.undo(batch)
    assert counting.total(petition) == 6
    assert counting.drift(petition.pk) == {}

    Signature.objects.filter(pk=signature.pk).delete()  # behind firma's back: drift
    assert counting.drift(petition.pk) == {signature.country: -1}
    counting.reconcile()
    assert counting.total(petition) == 5


@pytest.mark.django_db
def test_the_fold_task_runs_and_queues_its_next_run(petition):
    signature = Signature.objects.create(petition=petition, full_name="Bo", email="bo@x.org")
    petition_signing.confirm(signature)
    assert periodic.schedule(counting.fold_tallies)
    assert not periodic.schedule(counting.fold_tallies)  # queued already
    run_worker()
    assert not TallyChange.objects.exists()
    assert counting.total(petition) == 1
    queued = DBTaskResult.objects.get(
        task_path=counting.fold_tallies.module_path, status=TaskResultStatus.READY
    )
    assert queued.run_after > timezone.now()


LOAD = [sys.executable, "-m", "tests.petitions.counting_load"]


def database_url() -> str:
    """The database this test uses, for processes of its own."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def load(env: dict, *args) -> str:
    result = subprocess.run(
        [*LOAD, *map(str, args)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# Its processes run on the test database when that is PostgreSQL, and see only what is committed.
@pytest.mark.processes
@pytest.mark.database
@pytest.mark.django_db(transaction=True)
def test_counts_stay_exact_when_processes_and_threads_confirm_and_fold_at_once(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "firma.settings",
        "DEBUG": "1",
        "COUNT_CACHE_SECONDS": "0",
    }
    env["CACHE_DIR"] = str(tmp_path / "cache")
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = database_url()
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'counting.sqlite3'}"
        copy_demo_database(tmp_path / "counting.sqlite3")
    # Enough that the three processes' ranges overlap while all their threads are busy.
    signers = 150
    load(env, "setup", "crowd", signers)
    # Three processes with four threads each; their ranges overlap, so some signatures are
    # confirmed by two processes at once.
    ranges = [(0, 60), (50, 110), (100, signers)]
    processes = [
        subprocess.Popen(
            [*LOAD, "confirm", "crowd", str(first), str(last), "4"],
            env=env,
            cwd=settings.BASE_DIR,
            stderr=subprocess.PIPE,
            text=True,
        )
        for first, last in ranges
    ]
    for process in processes:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
    result = json.loads(load(env, "check", "crowd"))
    assert result["drift"] == {}
    assert result["counts"] == result["recount"]
    assert sum(result["counts"].values()) == signers
    assert result["counts"] == {"AR": 30, "CL": 30, "ES": 30, "FR": 30, "": 30}


@pytest.mark.django_db
def test_the_page_shows_the_count_from_the_tallies(client, petition):
    Tally.objects.create(petition=petition, country="AR", total=1_000_000)
    counting.record(petition.pk, "AR", 2)
    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert "1,000,002" in page or "1000002" in page or "1 000 002" in page


@pytest.mark.django_db
def test_the_page_and_the_api_ask_the_same_of_the_database_whatever_the_size(client, petition):
    """No query per signature: the count comes from the tallies, the list is one page."""
    from django.core.management import call_command
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    def queries(path: str) -> list[str]:
        cache.clear()  # every read from scratch, as when the cached answers have expired
        with CaptureQueriesContext(db) as captured:
            assert client.get(path).status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    page = url("petitions:detail", slug=petition.slug)
    api = f"/api/petitions/{petition.slug}"
    call_command("generate_signatures", petition.slug, "20", stdout=None)
    small = queries(page), queries(api)
    call_command("generate_signatures", petition.slug, "2000", stdout=None)
    large = queries(page), queries(api)
    assert [len(q) for q in small] == [len(q) for q in large]
    assert not any("COUNT(" in sql and "tally" not in sql for sql in large[1])


@pytest.mark.django_db
def test_results_of_finished_tasks_are_forgotten_after_a_day(petition):
    from datetime import timedelta

    from firma.core import recovery as recovery

    periodic.schedule(counting.fold_tallies)
    run_worker()
    finished = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL)
    assert finished.count() == 1
    assert recovery.prune_finished() == 0  # a fresh result stays
    assert recovery.prune_finished(now=timezone.now() + timedelta(days=1, minutes=1)) == 1
    assert not finished.exists()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1  # the next run
