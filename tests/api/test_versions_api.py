"""Changes made through the organiser API are versions of what is signed, like the admin's."""

import pytest
from django.test import Client

from firma.petitions.models import PetitionVersion, Signature
from tests.conftest import sign

from .test_organiser_api import send

pytestmark = pytest.mark.django_db


def test_a_text_and_a_target_through_the_api_are_versions(client, petition_a, writer_a):
    sign(Client(), petition_a, email="early@example.org")
    path = "/api/v1/manage/petitions/water-a"
    response = send(client, "put", path + "/texts/en", {"title": "Water for all of A"}, writer_a)
    assert response.status_code == 200
    response = send(client, "post", path + "/targets", {"name": "The Mayor"}, writer_a)
    assert response.status_code == 201
    versions = list(PetitionVersion.objects.filter(petition=petition_a).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[1].texts["en"]["title"] == "Water for all of A"
    assert [target["name"] for target in versions[2].targets] == ["The Mayor"]
    assert Signature.objects.get(email="early@example.org").version == versions[0]
