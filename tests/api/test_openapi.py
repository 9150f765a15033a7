"""The OpenAPI document: valid, served, and matching the routes. (tests/api/conftest.py checks
every answer of the API tests against it.)"""

import pytest
from django.http import JsonResponse
from django.urls import resolve
from openapi_spec_validator import validate

from firma.api import openapi, urls
from tests.api.conftest import check_against_document

pytestmark = pytest.mark.django_db


def test_the_document_is_valid_openapi():
    validate(openapi.document())


def test_the_document_is_served(client, settings):
    settings.BASE_URL = "https://petitions.example.org"
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["servers"] == [{"url": "https://petitions.example.org"}]
    assert data["paths"].keys() == openapi.document()["paths"].keys()


def test_every_route_is_documented_and_every_documented_path_routed():
    documented = set()
    for template in openapi.PATHS:
        match = resolve(template.replace("{slug}", "a-slug").replace("{language}", "en"))
        assert match.url_name, f"{template} reaches no endpoint"
        documented.add(match.url_name)
    named = {pattern.name for pattern in urls.urlpatterns if pattern.name}
    assert named == documented


@pytest.mark.parametrize(
    "body",
    [
        {"petition": "x", "total": 1, "countries": [], "undocumented": 1},
        {"petition": "x", "total": "1", "countries": []},
        {"petition": "x", "countries": []},
    ],
)
def test_an_answer_unlike_the_document_fails_the_check(body):
    with pytest.raises(AssertionError):
        check_against_document("GET", "/api/v1/petitions/x/counts/countries", JsonResponse(body))
