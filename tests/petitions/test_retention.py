"""Erasing signers' personal data once a petition has been closed for its retention period."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firma.petitions import counting, retention
from firma.petitions.models import Invalidation, Petition, Signature
from tests.conftest import make_petition, run_worker, url

pytestmark = pytest.mark.django_db

TASK_PATH = "firma.petitions.retention.anonymise_expired_petitions"
PERSONAL = [
    "full_name",
    "affiliation",
    "email",
    "comment",
    "ip_hash",
    "user_agent_family",
    "email_domain",
    "flags",
    "email_error",
]


def add_signers(petition: Petition, confirmed: int = 30, pending: int = 4) -> None:
    now = timezone.now()
    countries = ["AR", "BR", "CL", ""]
    Signature.objects.bulk_create(
        [
            Signature(
                petition=petition,
                full_name=f"Signer {number}",
                affiliation="Union",
                email=f"signer{number}@{petition.slug}.example",
                email_domain=f"{petition.slug}.example",
                comment="Yes!",
                country=countries[number % 4],
                language="es" if number % 3 else "en",
                public=True,
                news_opt_in=True,
                status=Signature.Status.CONFIRMED,
                created_at=now - timedelta(days=number % 5, hours=1),
                confirmed_at=now - timedelta(days=number % 5),
                ip_hash=f"{number:064x}",
                user_agent_family="Firefox",
                fill_seconds=12,
                flags="too_fast" if number % 7 == 0 else "",
                email_error="550 no such mailbox" if number == 1 else "",
            )
            for number in range(confirmed)
        ]
        + [
            Signature(
                petition=petition,
                full_name=f"Unconfirmed {number}",
                email=f"pending{number}@{petition.slug}.example",
                language="en",
            )
            for number in range(pending)
        ]
    )
    # One confirmed signature invalidated by an organiser: it stays out of the counts.
    invalidation = Invalidation.objects.create(petition=petition, description="test")
    Signature.objects.filter(petition=petition, full_name="Signer 2").update(
        invalidation=invalidation
    )
    counting.reconcile()


def recount(petition: Petition) -> dict:
    per_day = (
        petition.signatures.confirmed()
        .annotate(day=TruncDate("confirmed_at"))
        .values_list("day")
        .annotate(total=Count("id"))
        .order_by("day")
    )
    return {
        "total": counting.total(petition),
        "by_country": counting.by_country(petition),
        "by_day": list(per_day),
        "invalidated": petition.signatures.invalidated().count(),
    }


@pytest.fixture
def expired(db) -> Petition:
    """Closed by an organiser 31 days ago, keeping data for 30 days: due."""
    petition = make_petition(
        slug="expired",
        status=Petition.Status.CLOSED,
        closed_at=timezone.now() - timedelta(days=31),
        retention_days=30,
    )
    add_signers(petition)
    return petition


@pytest.fixture
def not_due(db) -> list[Petition]:
    """Petitions whose signers must be kept."""
    petitions = [
        # Closed, but not long enough.
        make_petition(
            slug="recently-closed",
            status=Petition.Status.CLOSED,
            closed_at=timezone.now() - timedelta(days=29),
            retention_days=30,
        ),
        # Closing day 30 days ago: it closed at the end of that day, 29-and-a-bit days ago.
        make_petition(
            slug="closing-day",
            closes_on=timezone.localdate() - timedelta(days=30),
            retention_days=30,
        ),
        # Still open.
        make_petition(slug="open", closes_on=timezone.localdate() + timedelta(days=10)),
        # Closed without a date: when is unknown, so nothing is erased.
        make_petition(slug="no-date", status=Petition.Status.CLOSED, retention_days=0),
    ]
    for petition in petitions:
        add_signers(petition, confirmed=5, pending=1)
    return petitions


def snapshot() -> list[dict]:
    return list(Signature.objects.order_by("pk").values())


def anonymise(*args: str) -> str:
    out = StringIO()
    call_command("anonymise", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_reports_and_changes_nothing(expired, not_due):
    before = snapshot()
    output = anonymise("--dry-run")
    assert "expired: 30 signatures anonymised, 4 unconfirmed signatures deleted" in output
    assert "Would erase" in output
    for petition in not_due:
        assert petition.slug not in output
    assert snapshot() == before
    assert not Petition.objects.filter(anonymised_at__isnull=False).exists()


def test_erasing_removes_personal_data_and_keeps_the_counts_exact(client, expired):
    before = recount(expired)
    assert before["total"] == 29
    assert before["invalidated"] == 1
    kept = list(
        expired.signatures.exclude(status=Signature.Status.PENDING)
        .order_by("pk")
        .values_list("pk", "country", "language", "status", "created_at", "confirmed_at")
    )

    output = anonymise()

    assert "Erased the signers' data of expired: 30 signatures anonymised" in output
    assert "4 unconfirmed signatures deleted" in output
    assert recount(expired) == before
    assert not expired.signatures.filter(status=Signature.Status.PENDING).exists()
    remaining = expired.signatures.order_by("pk")
    assert (
        list(
            remaining.values_list(
                "pk", "country", "language", "status", "created_at", "confirmed_at"
            )
        )
        == kept
    )
    for row in remaining.values():
        assert all(row[field] == "" for field in PERSONAL), row
        assert row["public"] is False
        assert row["news_opt_in"] is False
        assert row["fill_seconds"] is None
        assert row["anonymised_at"] is not None
    expired.refresh_from_db()
    assert expired.anonymised_at is not None

    page = client.get(url("petitions:detail", slug=expired.slug)).text
    assert "Signer" not in page
    assert "No one is listed publicly yet." in page


def test_a_petition_past_its_closing_day_is_erased(db):
    petition = make_petition(
        slug="past", closes_on=timezone.localdate() - timedelta(days=12), retention_days=10
    )
    add_signers(petition, confirmed=3, pending=0)
    anonymise()
    assert set(petition.signatures.values_list("email", flat=True)) == {""}


def test_petitions_not_due_are_untouched(expired, not_due):
    others = Signature.objects.exclude(petition=expired)
    before = list(others.order_by("pk").values())
    output = anonymise()
    assert list(others.order_by("pk").values()) == before
    for petition in not_due:
        assert petition.slug not in output
        petition.refresh_from_db()
        assert petition.anonymised_at is None


def test_running_twice_is_harmless(expired):
    anonymise()
    after_first = snapshot()
    expired.refresh_from_db()
    first_time = expired.anonymised_at

    output = anonymise()

    assert "No petition is due for erasure." in output
    assert snapshot() == after_first
    expired.refresh_from_db()
    assert expired.anonymised_at == first_time


@pytest.mark.django_db(transaction=True)
def test_the_periodic_task_erases_and_queues_its_next_run(expired):
    retention.anonymise_expired_petitions.enqueue()
    run_worker()

    assert expired.signatures.exclude(email="").count() == 0
    assert recount(expired)["total"] == 29
    queued = DBTaskResult.objects.get(task_path=TASK_PATH, status=TaskResultStatus.READY)
    delay = queued.run_after - timezone.now()
    assert timedelta(hours=23, minutes=59) < delay <= timedelta(hours=24)
    finished = DBTaskResult.objects.get(task_path=TASK_PATH, status=TaskResultStatus.SUCCESSFUL)
    assert finished.pk != queued.pk


def schedule_tasks() -> str:
    out = StringIO()
    call_command("schedule_tasks", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_schedule_tasks_queues_exactly_one_run(expired):
    assert "Queued anonymise_expired_petitions" in schedule_tasks()
    assert "queued already" in schedule_tasks()
    assert "queued already" in schedule_tasks()
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1

    run_worker()  # runs now, and queues itself for tomorrow
    assert "queued already" in schedule_tasks()
    ready = DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY)
    assert ready.count() == 1
    assert ready.get().run_after > timezone.now() + timedelta(hours=23)
    assert expired.signatures.exclude(email="").count() == 0
