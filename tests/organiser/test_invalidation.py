"""Suspicious signatures: find them, preview a batch, invalidate it in one go, undo it."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from firma.petitions import counting
from firma.petitions.models import Invalidation, Petition, Signature

from .conftest import add, as_member

pytestmark = pytest.mark.django_db


def recount(petition: Petition) -> int:
    return Signature.objects.filter(
        petition=petition, status="confirmed", invalidation__isnull=True
    ).count()


def recount_by_country(petition: Petition) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for signature in Signature.objects.filter(
        petition=petition, status="confirmed", invalidation__isnull=True
    ).exclude(country=""):
        counts[signature.country.code] = counts.get(signature.country.code, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def assert_counts_match_the_table(petition: Petition) -> None:
    assert counting.total(petition) == recount(petition)
    assert counting.by_country(petition) == recount_by_country(petition)


@pytest.fixture
def flood(petition):
    """Ordinary signers, and a flood from one domain and one address, some still pending."""
    people = [
        add(petition, "Ana Souza", "ana@example.org", country="BR", public=True),
        add(petition, "Marie Dubois", "marie@example.fr", country="FR", public=True),
    ]
    bots = [
        add(
            petition,
            f"Bot {number}",
            f"bot{number}@spam.example",
            country="DE",
            public=True,
            ip_hash="f" * 32,
            flags="too_fast honeypot" if number % 2 else "too_fast",
            created_at=datetime(2026, 3, 1, 12, number, tzinfo=UTC),
        )
        for number in range(6)
    ]
    pending = [
        add(
            petition,
            f"Pending Bot {number}",
            f"pending{number}@spam.example",
            status=Signature.Status.PENDING,
            ip_hash="f" * 32,
            flags="too_fast",
        )
        for number in range(3)
    ]
    return people, bots, pending


def invalidate_url(petition: Petition) -> str:
    return f"/admin/petitions/petition/{petition.pk}/invalidate/"


def preview(client, petition: Petition, **criteria) -> tuple[int, dict]:
    """The previewed count, and the confirmation form's fields."""
    response = client.get(invalidate_url(petition), {"preview": "1", **criteria})
    assert response.status_code == 200
    match = re.search(r"(\d+) signatures? would be invalidated", response.text)
    assert match, response.text
    confirm = response.context["preview"]["confirm"]
    fields = {name: confirm[name].value() for name in confirm.fields}
    fields = {name: value for name, value in fields.items() if value not in (None, False, "")}
    return int(match.group(1)), fields


def confirm(client, petition: Petition, fields: dict, reason: str = "A flood of bots"):
    return client.post(invalidate_url(petition), {**fields, "reason": reason}, follow=True)


def test_the_preview_count_is_what_gets_invalidated(admin_client, petition, flood):
    _people, bots, _pending = flood
    assert_counts_match_the_table(petition)
    before = counting.total(petition)

    count, fields = preview(admin_client, petition, email_domain="spam.example")
    assert count == len(bots)
    assert counting.total(petition) == before  # a preview changes nothing

    response = confirm(admin_client, petition, fields)
    assert f"{count} signatures invalidated" in response.text
    batch = Invalidation.objects.get()
    assert batch.petition == petition
    assert batch.reason == "A flood of bots"
    assert batch.created_by.username == "admin"
    assert "spam.example" in batch.description
    assert batch.signatures.count() == count
    assert counting.total(petition) == before - count
    assert_counts_match_the_table(petition)


def test_the_public_page_and_the_api_drop_invalidated_signatures(
    admin_client, client, petition, flood
):
    _count, fields = preview(admin_client, petition, ip_hash="F" * 32)
    confirm(admin_client, petition, fields)
    page = client.get(petition.get_absolute_url()).text
    assert "Ana Souza" in page
    assert "Bot 1" not in page
    api = client.get(f"/api/petitions/{petition.slug}").json()
    assert api["signature_count"] == 2
    assert api["signatures_by_country"] == {"BR": 1, "FR": 1}


def test_pending_signatures_only_when_asked(admin_client, petition, flood):
    _people, bots, pending = flood
    count, _fields = preview(admin_client, petition, ip_hash="f" * 32)
    assert count == len(bots)
    count, fields = preview(admin_client, petition, ip_hash="f" * 32, include_pending="on")
    assert count == len(bots) + len(pending)
    confirm(admin_client, petition, fields)
    assert Signature.objects.filter(petition=petition).invalidated().count() == count
    assert petition.signatures.pending().count() == 0
    assert_counts_match_the_table(petition)


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"flag": "honeypot"}, 3),
        ({"flag": "too_fast"}, 6),
        ({"flag": "*"}, 6),
        ({"signed_from": "2026-03-01T12:02", "signed_to": "2026-03-01T12:04"}, 3),
        ({"email_domain": "@SPAM.example"}, 6),
        ({"email_domain": "spam.example", "flag": "honeypot"}, 3),
    ],
)
def test_filters(admin_client, petition, flood, criteria, expected):
    count, fields = preview(admin_client, petition, **criteria)
    assert count == expected
    confirm(admin_client, petition, fields)
    assert Invalidation.objects.get().signatures.count() == expected


def test_one_update_invalidates_the_batch(admin_client, petition, flood):
    _count, fields = preview(admin_client, petition, email_domain="spam.example")
    with CaptureQueriesContext(connection) as queries:
        confirm(admin_client, petition, fields)
    updates = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("UPDATE") and "petitions_signature" in query["sql"]
    ]
    assert len(updates) == 1


def test_signatures_arriving_after_the_preview_are_left_out(admin_client, petition, flood):
    count, fields = preview(admin_client, petition, email_domain="spam.example")
    late = add(petition, "Late Bot", "late@spam.example")
    confirm(admin_client, petition, fields)
    assert Invalidation.objects.get().signatures.count() == count
    late.refresh_from_db()
    assert late.invalidation is None


def test_undo_counts_the_batch_again(admin_client, petition, flood):
    before = counting.total(petition)
    by_country = counting.by_country(petition)
    _count, fields = preview(admin_client, petition, flag="*", include_pending="on")
    confirm(admin_client, petition, fields)
    batch = Invalidation.objects.get()
    assert counting.total(petition) < before
    assert_counts_match_the_table(petition)

    page = admin_client.get(invalidate_url(petition)).text
    assert "A flood of bots" in page
    undo = f"{invalidate_url(petition)}{batch.pk}/undo/"
    assert admin_client.get(undo).status_code == 405  # only a POST undoes
    response = admin_client.post(undo, follow=True)
    assert "Invalidation undone: 9 signatures count again" in response.text
    assert not Invalidation.objects.exists()
    assert not Signature.objects.invalidated().exists()
    assert counting.total(petition) == before
    assert counting.by_country(petition) == by_country
    assert_counts_match_the_table(petition)
    # Both steps are in the petition's history.
    history = admin_client.get(f"/admin/petitions/petition/{petition.pk}/history/").text
    assert "6 signatures invalidated" in history or "9 signatures invalidated" in history
    assert "Invalidation undone" in history


def test_undo_leaves_other_batches_alone(admin_client, petition, flood):
    _count, fields = preview(admin_client, petition, flag="honeypot")
    confirm(admin_client, petition, fields, reason="first")
    _count, fields = preview(admin_client, petition, email_domain="spam.example")
    confirm(admin_client, petition, fields, reason="second")
    first, second = Invalidation.objects.order_by("pk")
    assert (first.signatures.count(), second.signatures.count()) == (3, 3)
    admin_client.post(f"{invalidate_url(petition)}{second.pk}/undo/")
    assert first.signatures.count() == 3
    assert_counts_match_the_table(petition)


@pytest.mark.parametrize(
    ("criteria", "error"),
    [
        ({}, "Choose at least one criterion"),
        ({"include_pending": "on"}, "Choose at least one criterion"),
        (
            {"signed_from": "2026-03-02T00:00", "signed_to": "2026-03-01T00:00"},
            "The start of the time window is after its end.",
        ),
        ({"flag": "no-such-flag"}, "Select a valid choice"),
    ],
)
def test_invalid_criteria(admin_client, petition, flood, criteria, error):
    response = admin_client.get(invalidate_url(petition), {"preview": "1", **criteria})
    assert error in response.text
    assert response.context["preview"] is None
    response = admin_client.post(
        invalidate_url(petition), {**criteria, "reason": "x", "up_to": "99999"}
    )
    assert response.status_code == 200
    assert not Invalidation.objects.exists()


def test_a_reason_is_required(admin_client, petition, flood):
    _count, fields = preview(admin_client, petition, flag="*")
    response = admin_client.post(invalidate_url(petition), fields)
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not Invalidation.objects.exists()


def test_the_petition_page_links_to_its_suspicious_signatures(admin_client, petition, flood):
    page = admin_client.get(f"/admin/petitions/petition/{petition.pk}/change/").text
    assert f'href="{invalidate_url(petition)}"' in page
    link = f"/admin/petitions/signature/?petition__id__exact={petition.pk}&amp;flag=%2A"
    assert f'href="{link}"' in page
    suspicious = admin_client.get(link.replace("&amp;", "&")).text
    assert "9 signatures" in suspicious
    assert "Ana Souza" not in suspicious


class TestAnotherOrganisation:
    """An organiser of A can neither preview, invalidate nor undo on B's petition."""

    def test_preview(self, client_a, petition_b, signature_b):
        response = client_a.get(invalidate_url(petition_b), {"preview": "1", "flag": "*"})
        assert response.status_code == 404
        assert "Bob Bravo" not in response.text

    def test_invalidate(self, client_a, petition_b, signature_b):
        response = client_a.post(
            invalidate_url(petition_b), {"flag": "*", "reason": "x", "up_to": signature_b.pk}
        )
        assert response.status_code == 404
        assert not Invalidation.objects.exists()
        assert counting.total(petition_b) == 1

    def test_undo(self, client_a, petition_b, signature_b):
        batch = Invalidation.objects.create(petition=petition_b, description="B's own")
        Signature.objects.filter(pk=signature_b.pk).update(invalidation=batch)
        response = client_a.post(f"{invalidate_url(petition_b)}{batch.pk}/undo/")
        assert response.status_code == 404
        signature_b.refresh_from_db()
        assert signature_b.invalidation == batch

    def test_undo_of_bs_batch_through_as_petition(
        self, client_a, petition_a, petition_b, signature_b
    ):
        batch = Invalidation.objects.create(petition=petition_b, description="B's own")
        response = client_a.post(f"{invalidate_url(petition_a)}{batch.pk}/undo/")
        assert response.status_code == 404
        assert Invalidation.objects.filter(pk=batch.pk).exists()

    def test_a_viewer_of_the_petition_may_not_invalidate(self, client, org_a, petition_a):
        viewer = as_member(client, org_a, "viewer")
        assert viewer.get(invalidate_url(petition_a)).status_code == 403
        response = viewer.post(invalidate_url(petition_a), {"flag": "*", "reason": "x"})
        assert response.status_code == 403

    def test_an_editor_of_a_invalidates_on_a(self, client_a, petition_a, signature_a):
        count, fields = preview(client_a, petition_a, flag="*")
        assert count == 1
        confirm(client_a, petition_a, fields)
        assert counting.total(petition_a) == 0


class TestSuspiciousSignatures:
    def test_the_changelist_shows_and_filters_the_signals(self, admin_client, petition, flood):
        page = admin_client.get("/admin/petitions/signature/").text
        assert "too_fast honeypot" in page
        assert "?email_domain=spam.example" in page
        assert f"?ip_hash={'f' * 32}" in page
        for query, shown, count in [
            ("?flag=*", "Bot 1", 9),
            ("?flag=-", "Ana Souza", 2),
            ("?flag=honeypot", "Bot 1", 3),
            ("?email_domain=spam.example", "Bot 1", 9),
            (f"?ip_hash={'f' * 32}", "Pending Bot 1", 9),
        ]:
            page = admin_client.get(f"/admin/petitions/signature/{query}").text
            assert shown in page, query
            assert f"{count} signature" in page, query

    def test_the_filters_offer_the_frequent_values(self, admin_client, petition, flood):
        page = admin_client.get("/admin/petitions/signature/").text
        assert "spam.example (9)" in page
        assert "ffffffffffff… (9)" in page
        assert "example.org (" not in page  # one signature: not worth a filter entry

    def test_validity_filter(self, admin_client, petition, flood):
        _people, bots, _pending = flood
        batch = Invalidation.objects.create(petition=petition, description="x")
        Signature.objects.filter(pk=bots[0].pk).update(invalidation=batch)
        page = admin_client.get("/admin/petitions/signature/?invalidated=yes").text
        assert ">Bot 0<" in page
        assert "Ana Souza" not in page
        page = admin_client.get("/admin/petitions/signature/?invalidated=no").text
        assert ">Bot 0<" not in page
        assert ">Bot 1<" in page

    def test_the_change_page_shows_the_signals_read_only(self, admin_client, petition, flood):
        _people, bots, _pending = flood
        Signature.objects.filter(pk=bots[1].pk).update(
            user_agent_family="curl", fill_seconds=1, challenge_used=True
        )
        page = admin_client.get(f"/admin/petitions/signature/{bots[1].pk}/change/").text
        for value in ["too_fast honeypot", "spam.example", "f" * 32, "curl"]:
            assert value in page
        for field in ["flags", "ip_hash", "email_domain", "invalidation", "fill_seconds"]:
            assert f'name="{field}"' not in page
        data = {
            "full_name": "Bot 1",
            "organization": "",
            "country": "DE",
            "comment": "",
            "status": "confirmed",
            "public": "on",
            "flags": "",
            "ip_hash": "",
        }
        admin_client.post(f"/admin/petitions/signature/{bots[1].pk}/change/", data)
        bots[1].refresh_from_db()
        assert bots[1].flags == "too_fast honeypot"
        assert bots[1].ip_hash == "f" * 32


def test_ip_hashes_and_emails_stay_in_the_admin(client, petition, flood):
    for url in [petition.get_absolute_url(), f"/api/petitions/{petition.slug}"]:
        content = client.get(url).content.decode()
        assert "f" * 32 not in content
        assert "@spam.example" not in content
        assert "spam.example" not in content
        assert "ana@example.org" not in content


def test_nothing_is_counted_twice(admin_client, petition, flood):
    """Invalidating what a batch already took leaves that batch alone."""
    _count, fields = preview(admin_client, petition, flag="honeypot")
    confirm(admin_client, petition, fields)
    count, fields = preview(admin_client, petition, email_domain="spam.example")
    assert count == 3
    confirm(admin_client, petition, fields)
    first, second = Invalidation.objects.order_by("pk")
    assert first.signatures.count() == 3
    assert second.signatures.count() == 3
    assert timezone.now() >= second.created_at
