"""Responses and outcomes in the API (every answer checked against the OpenAPI document by the
client of tests/api/conftest.py) and the response.published and petition.outcome webhooks."""

import json

import pytest

from firma.organiser.responses import services
from firma.petitions.models import Response, Target
from tests.conftest import run_worker
from tests.outreach.conftest import answer

from . import test_webhooks as webhook_tests
from .test_webhooks import make_webhook

# The receiver on loopback and its settings, as the webhook tests have them.
receiver, hook_settings = webhook_tests.receiver, webhook_tests.hook_settings

BASE = "/api/v1/manage/petitions/water-a"


def send(client, method: str, path: str, body, headers: dict):
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.fixture
def minister(petition_a) -> Target:
    return Target.objects.create(
        petition=petition_a, name="Rosa Rivera", role="Minister of Water", country="BR"
    )


@pytest.mark.django_db
def test_the_public_petition_shows_published_responses_and_the_outcome(
    client, petition_a, minister
):
    assert client.get("/api/v1/petitions/water-a").json()["responses"] == []
    assert client.get("/api/v1/petitions/water-a").json()["outcome"] is None
    answer(petition_a, minister, "Not yet decided.")  # pending: not public
    first = answer(petition_a, minister, "We agree.", translations={"es": "Estamos de acuerdo."})
    services.publish(first, None)
    services.record_outcome(petition_a, None, "won", "Every school gets water.")

    data = client.get("/api/v1/petitions/water-a").json()
    [shown] = data["responses"]
    assert shown["text"] == "We agree."
    assert shown["translations"] == {"es": "Estamos de acuerdo."}
    assert shown["target"] == {"name": "Rosa Rivera", "role": "Minister of Water", "country": "BR"}
    assert shown["source"] == "link"
    assert shown["url"].endswith(f"/en/p/water-a/#response-{first.pk}")
    assert data["outcome"]["outcome"] == "won"
    assert data["outcome"]["label"] == "Won"
    assert data["outcome"]["text"] == "Every school gets water."


@pytest.mark.django_db
def test_an_organiser_enters_a_response_and_sets_the_outcome(
    client, petition_a, minister, reader_a, writer_a, writer_b
):
    body = {"target": minister.pk, "text": "Letter of **reply**.", "received_via": "post"}
    assert send(client, "post", f"{BASE}/responses", body, reader_a).status_code == 403
    assert send(client, "post", f"{BASE}/responses", body, writer_b).status_code == 404
    created = send(client, "post", f"{BASE}/responses", body, writer_a)
    assert created.status_code == 201
    entered = created.json()
    assert entered["status"] == "published"
    assert entered["source"] == "entered"
    assert entered["received_via"] == "post"

    kept = send(client, "post", f"{BASE}/responses", {**body, "publish": False}, writer_a)
    assert kept.json()["status"] == "pending"
    listed = client.get(f"{BASE}/responses", headers=reader_a).json()["results"]
    assert [row["status"] for row in listed] == ["published", "pending"]
    public = client.get("/api/v1/petitions/water-a").json()["responses"]
    assert [row["id"] for row in public] == [entered["id"]]

    wrong = send(client, "post", f"{BASE}/responses", {"target": 999, "text": ""}, writer_a)
    assert wrong.status_code == 400
    assert set(wrong.json()["fields"]) == {"target", "text"}

    assert client.get(f"{BASE}/outcome", headers=reader_a).json()["outcome"] is None
    outcome = {"outcome": "rejected", "text": "The ministry said no."}
    assert send(client, "put", f"{BASE}/outcome", outcome, reader_a).status_code == 403
    recorded = send(client, "put", f"{BASE}/outcome", outcome, writer_a)
    assert recorded.status_code == 200
    assert recorded.json()["outcome"]["outcome"] == "rejected"
    bad = send(client, "put", f"{BASE}/outcome", {"outcome": "victory"}, writer_a)
    assert bad.status_code == 400
    assert client.get("/api/v1/petitions/water-a").json()["outcome"]["outcome"] == "rejected"


@pytest.mark.django_db
def test_the_openapi_document_describes_responses_and_outcomes(client):
    document = client.get("/api/openapi.json").json()
    assert "/api/v1/manage/petitions/{slug}/responses" in document["paths"]
    assert "/api/v1/manage/petitions/{slug}/outcome" in document["paths"]
    petition = document["components"]["schemas"]["Petition"]["properties"]
    assert {"responses", "outcome"} <= set(petition)


@pytest.mark.django_db(transaction=True)
def test_webhooks_tell_of_published_responses_and_outcomes(
    client, hook_settings, receiver, petition_a, minister, writer_a
):
    make_webhook(petition_a.organisation, receiver, ["response.published", "petition.outcome"])
    pending = answer(petition_a, minister, "We agree.")
    services.publish(pending, None)
    send(client, "put", f"{BASE}/outcome", {"outcome": "won", "text": "Yes."}, writer_a)
    run_worker()

    by_event = {json.loads(body)["event"]: json.loads(body) for _, body, _ in receiver.requests}
    assert sorted(by_event) == ["petition.outcome", "response.published"]
    assert all(verdict == "ok" for _, _, verdict in receiver.requests)
    published = by_event["response.published"]["data"]
    assert published["response"]["id"] == pending.pk
    assert published["petition"]["slug"] == "water-a"
    assert by_event["petition.outcome"]["data"]["outcome"]["outcome"] == "won"
    assert Response.objects.get(pk=pending.pk).signers_notified_at is not None
