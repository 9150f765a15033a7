"""Targets and deliveries in the API: the public petition shows them, an organisation's token
adds targets and delivers or records deliveries, and petition.delivered reaches its webhooks.
Every answer is checked against /api/openapi.json (conftest.CheckedClient)."""

import json

import pytest

from firma.petitions.models import Delivery, Target
from tests.api.test_webhooks import Receiver, make_webhook
from tests.conftest import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def post(client, path: str, body: dict, headers: dict):
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


TARGETS = "/api/v1/manage/petitions/water-a/targets"
DELIVERIES = "/api/v1/manage/petitions/water-a/deliveries"


def test_a_token_adds_targets_and_records_deliveries(
    client, petition_a, writer_a, reader_a, writer_b, mailbox
):
    minister = post(
        client,
        TARGETS,
        {"name": "Ana Pérez", "role": "Minister", "email": "ana@gov.example", "country": "ar"},
        writer_a,
    )
    assert minister.status_code == 201, minister.content
    assert minister.json()["email"] == "ana@gov.example"
    assert minister.json()["country"] == "AR"
    council = post(client, TARGETS, {"name": "City Council"}, writer_a).json()
    assert [t["name"] for t in client.get(TARGETS, headers=reader_a).json()["results"]] == [
        "Ana Pérez",
        "City Council",
    ]
    assert post(client, TARGETS, {"name": "X"}, reader_a).status_code == 403
    assert post(client, TARGETS, {"email": "no-name@example.org"}, writer_a).status_code == 400
    assert post(client, TARGETS, {"name": "X"}, writer_b).status_code == 404

    # By e-mail: only to targets with an address.
    no_address = post(client, DELIVERIES, {"method": "email", "targets": [council["id"]]}, writer_a)
    assert no_address.status_code == 400
    assert "targets" in no_address.json()["fields"]
    sent = post(
        client,
        DELIVERIES,
        {"method": "email", "targets": [minister.json()["id"]], "message": "Please act."},
        writer_a,
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["signature_count"] == 2
    run_worker()
    assert [message["To"] for message in mailbox.messages] == ["ana@gov.example"]

    offline = post(
        client,
        DELIVERIES,
        {
            "method": "offline",
            "targets": [council["id"]],
            "delivered_at": "2026-03-01T10:00:00Z",
            "signature_count": 900,
            "note": "By post.",
        },
        writer_a,
    )
    assert offline.status_code == 201, offline.content
    assert offline.json()["method"] == "offline"
    missing = post(client, DELIVERIES, {"method": "offline", "targets": [council["id"]]}, writer_a)
    assert missing.status_code == 400
    wrong = post(client, DELIVERIES, {"method": "offline", "targets": "all"}, writer_a)
    assert wrong.status_code == 400
    assert Delivery.objects.count() == 2

    listed = client.get(DELIVERIES, headers=reader_a).json()["results"]
    assert [d["method"] for d in listed] == ["offline", "email"]  # by date: March 2026 first

    public = client.get("/api/v1/petitions/water-a").json()
    assert [t["name"] for t in public["targets"]] == ["Ana Pérez", "City Council"]
    assert all("email" not in target for target in public["targets"])
    assert len(public["deliveries"]) == 2
    managed = client.get("/api/v1/manage/petitions/water-a", headers=reader_a).json()
    assert managed["targets"][0]["email"] == "ana@gov.example"


def test_the_delivery_settings_are_changed_with_a_patch(client, petition_a, writer_a):
    body = json.dumps({"deliver_at": 500, "auto_deliver": True, "response_days": 30})
    answer = client.patch(
        "/api/v1/manage/petitions/water-a", body, content_type="application/json", headers=writer_a
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["deliver_at"], answer.json()["auto_deliver"]) == (500, True)
    assert answer.json()["response_days"] == 30


def test_petition_delivered_reaches_the_webhook(settings, client, petition_a, writer_a):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = Receiver()
    receiver.thread.start()
    try:
        make_webhook(petition_a.organisation, receiver, ["petition.delivered"])
        target = Target.objects.create(petition=petition_a, name="City Council")
        body = {"method": "offline", "targets": [target.pk], "signature_count": 2}
        assert post(client, DELIVERIES, body, writer_a).status_code == 201
        run_worker()
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
    assert receiver.events() == ["petition.delivered"]
    _headers, raw, verdict = receiver.requests[0]
    assert verdict == "ok"
    data = json.loads(raw)["data"]
    assert data["petition"]["slug"] == "water-a"
    assert data["delivery"]["targets"] == [target.pk]
    assert data["delivery"]["signature_count"] == 2
