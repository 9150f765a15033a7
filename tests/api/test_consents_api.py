"""A signature's consent records through the organiser API, as the document describes them."""

import hashlib

import pytest
from django.test import Client

from firma.petitions.models import Signature
from tests.conftest import sign

from .conftest import bearer

pytestmark = pytest.mark.django_db


def consents_path(slug: str, signature_id: object) -> str:
    return f"/api/v1/manage/petitions/{slug}/signatures/{signature_id}/consents"


def test_the_records_of_a_signature_signed_on_the_page(client, petition_a, reader_a):
    sign(Client(), petition_a, email="new@example.org", news_opt_in="on")
    signature = Signature.objects.get(email="new@example.org")
    response = client.get(consents_path("water-a", signature.pk), headers=reader_a)
    assert response.status_code == 200
    data = response.json()
    assert data["signature"] == signature.pk
    rows = [(row["consent"], row["given"], row["channel"]) for row in data["results"]]
    assert rows == [
        ("privacy", True, "page"),
        ("listing", True, "page"),
        ("petition_news", True, "page"),
        ("organisation_news", False, "page"),
    ]
    for row in data["results"]:
        assert row["wording_sha256"] == hashlib.sha256(row["wording"].encode()).hexdigest()


def test_another_organisation_or_a_bad_id_is_not_found(client, petition_a, petition_b, writer_b):
    signature = Signature.objects.filter(petition=petition_a).first()
    assert client.get(consents_path("water-a", signature.pk), headers=writer_b).status_code == 404
    theirs = Signature.objects.filter(petition=petition_b).first()
    for bad in ("abc", "99999999999999999999999", theirs.pk + 1000):
        response = client.get(consents_path("secret-b", bad), headers=writer_b)
        assert response.status_code == 404, bad
    assert client.get(consents_path("secret-b", theirs.pk), headers=writer_b).status_code == 200


def test_a_token_is_needed(client, petition_a):
    signature = Signature.objects.filter(petition=petition_a).first()
    path = consents_path("water-a", signature.pk)
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer("firma_nope_nope")).status_code == 401
