"""The ledger follows the signatures: a leaf per change of standing, appended when the counts
fold, signed heads that match the leaves and the count shown, and a verifier that passes."""

import pytest
from django.contrib.auth import get_user_model

from firma.ledger.models import Head, Leaf, Ledger, Pending, Salt
from firma.organiser.moderation import invalidations
from firma.organiser.moderation import services as moderation
from firma.petitions import counting, retention
from firma.petitions.tokens import self_service_token
from tests.conftest import url
from tests.ledger.conftest import add, command, confirm, entries, publish, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return get_user_model().objects.create_user("moderator", "moderator@example.org", "x")


def head(client, petition) -> dict:
    return client.get(f"/api/v1/petitions/{petition.slug}/ledger/head").json()["head"]


def test_confirmations_enter_when_the_counts_fold_not_in_the_request(client, petition):
    confirm(petition, range(3))
    assert not Leaf.objects.exists()
    assert Pending.objects.count() == 3
    assert head(client, petition) is None

    publish()

    assert Pending.objects.count() == 0
    found = head(client, petition)
    assert (found["size"], found["count"]) == (3, 3)
    assert [entry["event"] for entry in entries(client, petition)] == ["confirmed"] * 3
    assert verify(client, petition)[0] == 0


def test_a_pending_signature_never_enters(client, petition):
    add(petition, 1)
    confirm(petition, [2])
    publish()
    assert [entry["signature"] for entry in entries(client, petition)] == [
        Salt.objects.get().signature_id
    ]


def test_invalidation_restoration_and_erasure_each_append_a_leaf(client, petition, moderator):
    first, second, third = confirm(petition, range(3))
    publish()
    moderation.invalidate(second, moderator, "Signed twice under two addresses")
    publish()
    moderation.restore(second, moderator)
    publish()
    batch, _ = invalidations.invalidate(petition, {"country": "BR"}, "A bot", moderator)
    publish()
    invalidations.undo(batch)
    publish()
    token = self_service_token(third)
    client.post(
        url("petitions:my_signature_delete", slug=petition.slug, token=token), {"confirm": "on"}
    )
    publish()

    steps = [
        (e["signature"], e["event"], e["reason"], e["standing"]) for e in entries(client, petition)
    ]
    assert steps[3:5] == [
        (second.pk, "invalidated", "organiser", False),
        (second.pk, "restored", "organiser", True),
    ]
    everyone = sorted(signature.pk for signature in (first, second, third))
    assert sorted(steps[5:8]) == [(pk, "invalidated", "organiser", False) for pk in everyone]
    assert sorted(steps[8:11]) == [(pk, "restored", "organiser", True) for pk in everyone]
    assert steps[11:] == [(third.pk, "erased", "withdrawn", False)]
    assert head(client, petition)["count"] == counting.total(petition) == 2
    assert verify(client, petition)[0] == 0


def test_changes_undone_before_the_fold_leave_no_leaf(client, petition, moderator):
    (signature,) = confirm(petition, [1])
    publish()
    moderation.invalidate(signature, moderator, "Unsure")
    moderation.restore(signature, moderator)
    publish()
    assert Leaf.objects.count() == 1


def test_the_count_in_the_head_is_the_count_on_the_page(client, petition, moderator):
    signatures = confirm(petition, range(5))
    moderation.invalidate(signatures[0], moderator, "Fake")
    publish()
    page = client.get(url("petitions:detail", slug=petition.slug))
    assert head(client, petition)["count"] == 4
    assert "4" in page.content.decode()
    assert client.get(f"/api/v1/petitions/{petition.slug}").json()["signature_count"] == 4


def test_a_head_is_signed_only_when_the_ledger_grew(client, petition):
    confirm(petition, range(2))
    publish()
    publish()
    assert Head.objects.count() == 1
    confirm(petition, [5])
    publish()
    assert list(Head.objects.order_by("size").values_list("size", flat=True)) == [2, 3]


def test_the_ledger_endpoints_are_public_and_cacheable(client, petition):
    confirm(petition, range(2))
    publish()
    for path in [
        "ledger/head",
        "ledger/heads",
        "ledger/leaves?start=0",
        "ledger/consistency?first=1&second=2",
        "ledger/inclusion?index=0&size=2",
    ]:
        response = client.get(f"/api/v1/petitions/{petition.slug}/{path}")
        assert response.status_code == 200, path
        assert "public" in response["Cache-Control"]
        assert "max-age" in response["Cache-Control"]
        assert response["Access-Control-Allow-Origin"] == "*"
    key = client.get("/api/v1/ledger/public-key").json()
    assert key["algorithm"] == "Ed25519" and len(key["public_key"]) == 64


@pytest.mark.parametrize(
    "query",
    [
        "consistency?first=2&second=1",
        "consistency?first=1&second=9",
        "inclusion?index=2&size=2",
        "leaves?start=x",
        "leaves",
        "inclusion?index=0",
    ],
)
def test_impossible_ranges_are_refused(client, petition, query):
    confirm(petition, range(2))
    publish()
    response = client.get(f"/api/v1/petitions/{petition.slug}/ledger/{query}")
    assert response.status_code == 400


def test_a_draft_petition_has_no_public_ledger(client, petition):
    petition.status = petition.Status.DRAFT
    petition.save()
    assert client.get(f"/api/v1/petitions/{petition.slug}/ledger/head").status_code == 404


def test_the_command_verifies_a_petition(client, petition):
    confirm(petition, range(4))
    publish()
    command(client, petition)


def test_build_ledger_brings_in_signatures_from_before_the_ledger(client, petition):
    from django.core.management import call_command

    call_command("generate_signatures", petition.slug, "40", "--pending", "0.25")
    counting.fold()
    assert not Ledger.objects.exists()
    call_command("build_ledger", petition.slug)
    found = head(client, petition)
    assert found["count"] == counting.total(petition) == found["size"]
    assert verify(client, petition)[0] == 0


def test_retention_erasure_destroys_every_salt_and_keeps_the_tree(client, petition):
    confirm(petition, range(3))
    publish()
    retention.erase(petition, petition.created_at)
    publish()
    assert not Salt.objects.filter(salt__isnull=False).exists()
    assert Leaf.objects.count() == 3
    assert head(client, petition)["count"] == 3
    assert verify(client, petition)[0] == 0


def test_the_head_task_is_registered_for_schedule_tasks():
    from firma.core import periodic
    from firma.ledger import tasks

    assert tasks.publish_heads in periodic.registered


def test_the_fold_appends_a_flood_in_bounded_batches(client, petition, monkeypatch):
    from firma.ledger import services

    monkeypatch.setattr(services, "BATCH", 4)
    confirm(petition, range(10))
    counting.fold_tallies.call()
    assert Leaf.objects.count() == 4
    publish()
    assert Leaf.objects.count() == 10
    assert head(client, petition)["count"] == 10


def test_paper_signatures_enter_the_ledger(client, petition, tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "sheet.csv"
    lines = ["name,email,country"] + [f"Paper {n},paper{n}@example.org,AR" for n in range(12)]
    path.write_text("\n".join(lines), encoding="utf-8")
    call_command(
        "import_paper", petition.slug, str(path), stdout=io.StringIO(), stderr=io.StringIO()
    )
    publish()
    assert head(client, petition)["count"] == counting.total(petition) == 12
    assert verify(client, petition)[0] == 0


def test_switched_off_it_appends_nothing_but_still_forgets_erased_salts(client, petition, settings):
    confirm(petition, range(2))
    publish()
    settings.LEDGER_ENABLED = False
    confirm(petition, [5])
    publish()
    assert not Pending.objects.exists()
    assert Leaf.objects.count() == 2
    assert head(client, petition)["count"] == 2
    retention.erase(petition, petition.created_at)
    assert not Salt.objects.filter(salt__isnull=False).exists()
    assert Leaf.objects.count() == 2
