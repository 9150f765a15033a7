"""Signatures in the OSDI format, for movement CRMs."""

import pytest

from firma.api.osdi import split_name

pytestmark = pytest.mark.django_db

PATH = "/api/v1/osdi/petitions/water-a/signatures"


def test_an_osdi_signatures_collection(client, petition_a, reader_a, settings):
    settings.BASE_URL = "https://petitions.example.org"
    response = client.get(PATH + "?status=confirmed", headers=reader_a)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/hal+json"
    data = response.json()
    assert data["_links"]["self"]["href"] == f"https://petitions.example.org{PATH}?status=confirmed"
    assert "next" not in data["_links"]
    ana, marie = data["_embedded"]["osdi:signatures"]
    assert ana["identifiers"] == [f"firma:{petition_a.signatures.get(email='ana@example.org').pk}"]
    assert ana["person"]["given_name"] == "Ana"
    assert ana["person"]["family_name"] == "Souza Lima"
    assert ana["person"]["email_addresses"] == [
        {"address": "ana@example.org", "primary": True, "status": "subscribed"}
    ]
    assert ana["person"]["postal_addresses"] == [{"primary": True, "country": "BR"}]
    assert marie["person"]["email_addresses"][0]["status"] == "unsubscribed"
    assert marie["comments"] == "Oui"
    assert ana["_links"]["osdi:petition"]["href"].endswith("/api/v1/petitions/water-a")


def test_osdi_pages_link_to_the_next(client, petition_a, reader_a):
    first = client.get(PATH + "?limit=2", headers=reader_a).json()
    assert len(first["_embedded"]["osdi:signatures"]) == 2
    second = client.get(first["_links"]["next"]["href"], headers=reader_a).json()
    [last] = second["_embedded"]["osdi:signatures"]
    assert last["person"]["email_addresses"][0]["address"] == "pending@example.org"


def test_osdi_needs_a_token(client, petition_a):
    assert client.get(PATH).status_code == 401


@pytest.mark.parametrize(
    ("name", "given", "family"),
    [
        ("Ana Souza Lima", "Ana", "Souza Lima"),
        ("Madonna", "Madonna", ""),
        ("  Li  Wei ", "Li", "Wei"),
    ],
)
def test_names_are_split_at_the_first_space(name, given, family):
    assert split_name(name) == (given, family)
