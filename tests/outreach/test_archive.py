"""The outcome an organiser records, and the archive: open petitions first, then closed ones
with their outcome and latest response, filterable, paginated, cacheable; a closed petition's
page stays readable with its timeline."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from firma.organiser.audit.models import AuditEntry
from firma.organiser.responses import services
from firma.petitions import counting
from firma.petitions.models import Outcome, Petition, Signature
from firma.petitions.page import views as page_views
from firma.petitions.sharing.cards import card_for
from firma.tenancy.models import Membership
from tests.conftest import make_petition, url

from .conftest import admin_url, answer, as_member, deliver

Role = Membership.Role


def index(client: Client, language: str = "en", **query):
    return client.get(url("petitions:index", language), query)


def closed_petition(slug: str, title: str, days_ago: int, **fields) -> Petition:
    petition = make_petition(
        slug=slug, texts={"en": (title, "Text.")}, status=Petition.Status.CLOSED, **fields
    )
    Petition.objects.filter(pk=petition.pk).update(
        closed_at=timezone.now() - timedelta(days=days_ago)
    )
    return petition


@pytest.fixture
def petitions(petition, minister, delivery) -> dict[str, Petition]:
    """One open petition (A's), two closed ones (one won, with a response), a draft."""
    won = closed_petition("won-one", "We won this one", 2, outcome=Outcome.WON)
    services.publish(answer(won, None, "You were right."), None)
    lost = closed_petition("lost-one", "We lost that one", 1, outcome=Outcome.REJECTED)
    make_petition(slug="draft", texts={"en": ("A secret draft", "")}, status="draft")
    return {"open": petition, "won": won, "lost": lost}


@pytest.mark.django_db
def test_an_editor_records_the_outcome_for_the_page_the_card_and_the_archive(
    client_a, petition, django_capture_on_commit_callbacks
):
    change_page = client_a.get(admin_url(petition, "change/")).text
    assert f'href="{admin_url(petition, "outcome/")}"' in change_page
    assert f'href="{admin_url(petition)}"' in change_page
    assert client_a.get(admin_url(petition, "outcome/")).status_code == 200
    refused = client_a.post(admin_url(petition, "outcome/"), {"outcome": "glorious"})
    assert refused.status_code == 200
    before = card_for(petition).key

    form = {"outcome": "partly_won", "outcome_text": "Half the schools get water."}
    with django_capture_on_commit_callbacks(execute=True):
        assert client_a.post(admin_url(petition, "outcome/"), form).status_code == 302

    petition.refresh_from_db()
    assert petition.outcome == Outcome.PARTLY_WON
    assert petition.outcome_at is not None
    shown = Client().get(url("petitions:detail", slug=petition.slug)).text
    assert "Outcome: Partly won" in shown
    assert "Half the schools get water." in shown
    assert (
        "Resultado: Ganada en parte"
        in Client().get(url("petitions:detail", "es", slug=petition.slug)).text
    )
    assert card_for(petition).key != before
    assert Client().get(url("petitions:card", slug=petition.slug)).status_code == 200
    assert "Outcome: Partly won" in index(Client()).text
    entry = AuditEntry.objects.get(petition=petition)
    assert (entry.action, entry.detail) == (
        "outcome_recorded",
        "Partly won: Half the schools get water.",
    )


@pytest.mark.django_db
def test_only_editors_record_an_outcome(client, org_a, petition):
    as_member(client, org_a, Role.VIEWER)
    assert client.post(admin_url(petition, "outcome/"), {"outcome": "won"}).status_code == 403
    petition.refresh_from_db()
    assert petition.outcome == ""


@pytest.mark.django_db
def test_the_archive_lists_open_petitions_first_then_closed_ones(petitions):
    response = index(Client())
    assert response.status_code == 200
    text = response.text
    assert text.index("Water for A") < text.index("We lost that one") < text.index("We won this")
    assert "A secret draft" not in text
    assert "Outcome: Won" in text and "Outcome: Rejected" in text
    assert "Latest response" in text
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert 'type="application/atom+xml"' in text


@pytest.mark.django_db
def test_the_archive_filters_by_status_and_outcome(petitions):
    closed = index(Client(), status="closed").text
    assert "Water for A" not in closed
    assert "We won this one" in closed and "We lost that one" in closed

    opened = index(Client(), status="open").text
    assert "Water for A" in opened and "We won this one" not in opened

    won = index(Client(), outcome="won").text
    assert "We won this one" in won and "We lost that one" not in won

    nothing = index(Client(), status="open", outcome="won").text
    assert "No petition matches these filters." in nothing

    spanish = index(Client(), "es", outcome="won").text
    assert "Resultado: Ganada" in spanish


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [{"status": "nonsense"}, {"outcome": "victory"}, {"status": ["open", "<x>"]}]
)
def test_bad_filters_get_a_clear_page(petitions, query):
    response = index(Client(), **query)
    assert response.status_code == 400
    assert "This filter is not one we know." in response.text
    assert "<x>" not in response.text


@pytest.mark.django_db
def test_the_archive_is_paginated(monkeypatch, petitions):
    monkeypatch.setattr(page_views, "ARCHIVE_PAGE_SIZE", 2)
    first = index(Client()).text
    assert "Page 1 of 2" in first and "We won this one" not in first
    second = index(Client(), page="2").text
    assert "We won this one" in second and "Water for A" not in second
    assert index(Client(), page="999").status_code == 200
    assert index(Client(), page="x").status_code == 200
    filtered = index(Client(), status="closed", page="1").text
    assert "Page" not in filtered or "status=closed" in filtered


@pytest.mark.django_db
def test_a_closed_petition_keeps_its_page_and_timeline(petition, minister, delivery):
    petition.created_at = timezone.now() - timedelta(days=10)
    petition.save()
    signatures = [
        Signature(
            petition=petition,
            full_name=f"Signer {number}",
            email=f"s{number}@example.org",
            language="en",
            status=Signature.Status.CONFIRMED,
            confirmed_at=timezone.now() - timedelta(days=5, minutes=200 - number),
        )
        for number in range(120)
    ]
    Signature.objects.bulk_create(signatures)
    counting.reconcile()
    services.publish(answer(petition, minister, "We hear you.", delivery=delivery), None)
    petition.change_status(Petition.Status.CLOSED)
    petition.save()
    services.record_outcome(petition, None, Outcome.WON, "Every school gets water.")

    response = Client().get(url("petitions:detail", slug=petition.slug))
    assert response.status_code == 200
    text = response.text
    assert "This petition is closed" in text
    timeline = text[text.index('id="timeline"') :]
    steps = [
        "The petition was started.",
        "100 signatures.",
        "Delivered to Rosa Rivera, Tom Town with",
        "Rosa Rivera responded.",
        "The petition closed.",
        "Outcome: Won.",
    ]
    positions = [timeline.index(step) for step in steps]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_silence_counts_from_the_delivery(petition, minister):
    deliver(petition, [minister], days_ago=15)
    text = Client().get(url("petitions:detail", "fr", slug=petition.slug)).text
    assert "Rosa Rivera, Minister of Water, n'a pas répondu après 15 jours." in text
