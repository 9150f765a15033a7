"""GET /api/petitions/<slug>: the petition's public numbers as JSON."""

import pytest
from django.utils import timezone

from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from tests.conftest import make_petition

pytestmark = pytest.mark.django_db


def add_signatures(
    petition: Petition, countries: dict[str, int], status=Signature.Status.CONFIRMED
):
    for country, total in countries.items():
        for number in range(total):
            Signature.objects.create(
                petition=petition,
                full_name=f"Signer {country} {number}",
                email=f"{country}{number}-{status}@example.org",
                country=country,
                language="en",
                status=status,
                confirmed_at=timezone.now() if status == Signature.Status.CONFIRMED else None,
            )
    counting.reconcile()  # rows made outside the signing path: the recount picks them up


def test_the_petition_as_json(client, petition, settings):
    settings.BASE_URL = "https://petitions.example.org"
    add_signatures(petition, {"AR": 3, "FR": 1, "": 1})
    add_signatures(petition, {"AR": 5}, status=Signature.Status.PENDING)
    response = client.get(f"/api/petitions/{petition.slug}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["slug"] == "clean-water"
    assert data["title"] == "Clean water for every school"
    assert data["url"] == "https://petitions.example.org/en/p/clean-water/"
    assert data["status"] == "open"
    assert data["goal"] == 100
    assert data["signature_count"] == 5
    assert data["signatures_by_country"] == {"AR": 3, "FR": 1}
    assert data["languages"] == ["en", "es"]


def test_the_title_follows_accept_language(client, petition):
    data = client.get(f"/api/petitions/{petition.slug}", headers={"accept-language": "es"}).json()
    assert data["title"] == "Agua limpia para cada escuela"
    assert data["url"].endswith("/es/p/clean-water/")


def test_a_trailing_slash_is_accepted(client, petition):
    assert client.get(f"/api/petitions/{petition.slug}/").status_code == 200


def test_no_goal_and_no_signatures(client):
    petition = make_petition(slug="quiet")
    data = client.get(f"/api/petitions/{petition.slug}").json()
    assert data["goal"] is None
    assert data["signature_count"] == 0
    assert data["signatures_by_country"] == {}


def test_unknown_and_draft_petitions_are_not_found(client):
    make_petition(slug="draft", status=Petition.Status.DRAFT)
    for slug in ["nope", "draft"]:
        response = client.get(f"/api/petitions/{slug}")
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


def test_no_private_data_is_exposed(client, petition):
    add_signatures(petition, {"AR": 1})
    body = client.get(f"/api/petitions/{petition.slug}").text
    assert "@example.org" not in body
    assert "Signer" not in body


def test_the_api_is_read_only(client, petition):
    assert client.post(f"/api/petitions/{petition.slug}").status_code == 405


def test_the_live_count_may_be_kept_by_a_cache_in_front_but_not_a_sessions(
    client, petition, admin_client, settings
):
    settings.COUNT_CACHE_SECONDS = 2
    response = client.get(f"/api/petitions/{petition.slug}")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=2" in cache_control
    assert "private" not in cache_control
    assert "Accept-Language" in response["Vary"]
    assert not response.cookies

    staff = admin_client.get(f"/api/petitions/{petition.slug}")
    assert staff.status_code == 200
    assert "no-store" in staff["Cache-Control"] and "public" not in staff["Cache-Control"]
    assert "no-store" in client.get("/api/petitions/no-such-petition")["Cache-Control"]
