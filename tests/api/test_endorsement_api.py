"""The API tells endorsements from individual signatures: the organisers' signatures, the
OSDI collection and the public list of signers."""

import pytest

from firma.petitions.models import Signature
from tests.organiser.conftest import add

pytestmark = pytest.mark.django_db


@pytest.fixture
def union(petition_a) -> Signature:
    return add(
        petition_a,
        "Rosa Lima",
        "rosa@metal-union.example",
        country="BR",
        kind="organisation",
        organisation_name="Metal Workers' Union",
        organisation_position="Secretary",
        organisation_website="https://metal-union.example",
        affiliation="Secretary, Metal Workers' Union",
    )


def test_the_organisers_signatures_carry_the_kind(client, petition_a, reader_a, union):
    rows = client.get("/api/v1/manage/petitions/water-a/signatures", headers=reader_a).json()
    by_email = {row["email"]: row for row in rows["results"]}
    assert by_email["ana@example.org"]["kind"] == "individual"
    assert by_email["ana@example.org"]["organisation"] is None
    assert by_email[union.email]["kind"] == "organisation"
    assert by_email[union.email]["organisation"] == {
        "name": "Metal Workers' Union",
        "position": "Secretary",
        "website": "https://metal-union.example",
        "verification": "pending",
        "address_at_website": True,
    }


def test_osdi_signatures_carry_the_kind(client, petition_a, reader_a, union):
    data = client.get("/api/v1/osdi/petitions/water-a/signatures", headers=reader_a).json()
    people = {
        item["person"]["email_addresses"][0]["address"]: item["person"]["custom_fields"]
        for item in data["_embedded"]["osdi:signatures"]
    }
    assert people[union.email]["signing_as"] == "organisation"
    assert people[union.email]["organisation_name"] == "Metal Workers' Union"
    assert people["ana@example.org"]["signing_as"] == "individual"


def test_the_public_signers_hold_verified_organisations_by_name(client, petition_a, union):
    path = "/api/v1/petitions/water-a/signers"
    assert [row["kind"] for row in client.get(path).json()["results"]] == ["individual"]
    Signature.objects.filter(pk=union.pk).update(verification="verified")
    results = client.get(path).json()["results"]
    organisation = next(row for row in results if row["kind"] == "organisation")
    assert organisation["name"] == "Metal Workers' Union"
    assert organisation["website"] == "https://metal-union.example"
    assert "Rosa" not in str(results)
