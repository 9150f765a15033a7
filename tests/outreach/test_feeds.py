"""The Atom feeds: each petition's timeline and news, and every published response; linked from
the pages with <link rel="alternate">."""

import xml.etree.ElementTree as ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from firma.organiser.responses import services
from firma.organiser.updates.models import Update, UpdateText
from firma.petitions.models import Outcome
from tests.conftest import make_petition, url

from .conftest import answer

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary") or "",
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def published(petition, minister, delivery):
    response = answer(petition, minister, "We will **act**.", delivery=delivery)
    services.publish(response, None)
    return response


@pytest.mark.django_db
def test_a_petitions_feed_holds_its_timeline_and_updates(petition, published):
    update = Update.objects.create(
        petition=petition, status=Update.Status.SENT, published_at=timezone.now()
    )
    UpdateText.objects.create(update=update, language="en", subject="We met her", body="Good.")
    services.record_outcome(petition, None, Outcome.WON, "Done.")

    found = entries(Client().get(url("feeds:petition", slug=petition.slug)))
    titles = [entry["title"] for entry in found]
    assert "Response from Rosa Rivera, Minister of Water" in titles
    assert "We met her" in titles
    assert "Outcome: Won." in titles
    assert "The petition was started." in titles
    response = next(e for e in found if e["title"].startswith("Response from"))
    assert "<strong>act</strong>" in response["summary"]
    assert response["link"].endswith(f"/en/p/water-a/#timeline-response-{published.pk}")

    spanish = entries(Client().get(url("feeds:petition", "es", slug=petition.slug)))
    assert "Resultado: Ganada." in [entry["title"] for entry in spanish]


@pytest.mark.django_db
def test_the_sites_feed_holds_published_responses_of_public_petitions(
    petition, published, minister
):
    answer(petition, minister, "Still pending.")
    draft = make_petition(slug="draft", texts={"en": ("Draft", "")}, status="draft")
    services.publish(answer(draft, None, "Secret answer."), None)

    found = entries(Client().get(url("feeds:responses")))
    assert [entry["title"] for entry in found] == [
        "Response from Rosa Rivera, Minister of Water: Water for A"
    ]
    assert found[0]["link"].endswith(f"/en/p/water-a/#response-{published.pk}")
    response = Client().get(url("feeds:responses"))
    assert "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_pages_link_to_the_feeds(petition):
    page = Client().get(url("petitions:detail", slug=petition.slug)).text
    assert f'type="application/atom+xml" href="{url("feeds:petition", slug=petition.slug)}"' in page
    assert f'href="{url("feeds:responses")}"' in page
    index = Client().get(url("petitions:index")).text
    assert f'href="{url("feeds:responses")}"' in index


@pytest.mark.django_db
def test_a_drafts_feed_and_an_unknown_one_are_not_found(db):
    make_petition(slug="draft", texts={"en": ("Draft", "")}, status="draft")
    assert Client().get(url("feeds:petition", slug="draft")).status_code == 404
    assert Client().get(url("feeds:petition", slug="nothing")).status_code == 404
