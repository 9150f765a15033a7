"""Webhooks, delivered by the worker to a real HTTP receiver on loopback that checks each
request as docs/api.md tells receivers to."""

import json

import pytest
from django.db import transaction

from firma.api.models import Webhook, WebhookDelivery
from firma.core import events as events
from firma.organiser.moderation import invalidations as invalidations
from firma.petitions.models import Petition, Signature
from tests.api.receivers import (
    SECRET,
    TOLERANCE,
    Receiver,
    confirm,
    make_webhook,
    run_worker,
    verify,
)

pytestmark = pytest.mark.django_db


def test_each_event_reaches_the_receiver_once(
    client, hook_settings, receiver, petition_a, petition_b, org_b, writer_a
):
    make_webhook(petition_a.organisation, receiver)
    other = Receiver()
    make_webhook(org_b, other)
    pending = petition_a.signatures.get(status=Signature.Status.PENDING)

    confirm(client, pending)
    confirm(client, pending)  # twice: still one event
    invalidations.invalidate(petition_a, {"email_domain": "example.fr"}, "test", None)
    with transaction.atomic():
        events.milestone_reached.send(Petition, petition=petition_a, number=3)
    body = json.dumps({"status": "closed"})
    closing = client.patch(
        "/api/v1/manage/petitions/water-a", body, content_type="application/json", headers=writer_a
    )
    assert closing.status_code == 200
    run_worker()

    assert sorted(receiver.events()) == [
        "petition.closed",
        "petition.milestone",
        "signature.confirmed",
        "signature.invalidated",
    ]
    assert all(verdict == "ok" for _, _, verdict in receiver.requests)
    assert not other.requests
    by_event = {json.loads(body)["event"]: json.loads(body) for _, body, _ in receiver.requests}
    assert by_event["signature.confirmed"]["data"]["signature"]["email"] == "pending@example.org"
    marie = petition_a.signatures.get(email="marie@example.fr")
    assert by_event["signature.invalidated"]["data"]["signature_ids"] == [marie.pk]
    assert by_event["petition.milestone"]["data"]["number"] == 3
    assert by_event["petition.closed"]["data"]["petition"]["status"] == "closed"
    headers = {name.lower(): value for name, value in receiver.requests[0][0].items()}
    assert headers["content-type"] == "application/json"
    assert headers["x-firma-event"] in by_event
    assert WebhookDelivery.objects.filter(status="delivered").count() == 4


def test_only_chosen_events_of_active_webhooks(client, hook_settings, receiver, petition_a):
    make_webhook(petition_a.organisation, receiver, ["petition.closed"])
    Webhook.objects.create(
        organisation=petition_a.organisation,
        url=receiver.url,
        secret=SECRET,
        events=["signature.confirmed"],
        active=False,
    )
    confirm(client, petition_a.signatures.get(status=Signature.Status.PENDING))
    run_worker()
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_retries_after_server_errors(client, hook_settings, receiver, petition_a):
    make_webhook(petition_a.organisation, receiver)
    receiver.answers = [500, 503]
    confirm(client, petition_a.signatures.get(status=Signature.Status.PENDING))
    run_worker()
    assert [verdict for _, _, verdict in receiver.requests] == ["ok", "ok", "ok"]
    ids = {headers["X-Firma-Delivery"] for headers, _, _ in receiver.requests}
    assert len(ids) == 1
    assert len({body for _, body, _ in receiver.requests}) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)
    assert delivery.delivered_at is not None


def test_gives_up_after_the_last_retry(client, hook_settings, receiver, petition_a):
    make_webhook(petition_a.organisation, receiver)
    receiver.answers = [500, 500, 500, 500]
    confirm(client, petition_a.signatures.get(status=Signature.Status.PENDING))
    run_worker()
    assert len(receiver.requests) == 3
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 3, 500)
    # Only the status line of an error answer is kept, never its body.
    assert delivery.response_excerpt == "HTTP 500 Internal Server Error"


def test_a_client_error_is_not_retried(client, hook_settings, receiver, petition_a):
    make_webhook(petition_a.organisation, receiver)
    receiver.answers = [410]
    confirm(client, petition_a.signatures.get(status=Signature.Status.PENDING))
    run_worker()
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == "failed"


def test_network_errors_are_retried(client, hook_settings, receiver, petition_a):
    webhook = make_webhook(petition_a.organisation, receiver)
    receiver.server.shutdown()
    receiver.server.server_close()
    confirm(client, petition_a.signatures.get(status=Signature.Status.PENDING))
    run_worker()
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 3, None)
    assert delivery.response_excerpt


def test_a_replayed_or_altered_request_is_detected(client, hook_settings, receiver, petition_a):
    make_webhook(petition_a.organisation, receiver)
    confirm(client, petition_a.signatures.get(status=Signature.Status.PENDING))
    run_worker()
    [(headers, body, verdict)] = receiver.requests
    assert verdict == "ok"

    assert receiver.replay(headers, body) == 400
    assert receiver.requests[-1][2] == "replayed"
    altered = body.replace(b"pending@example.org", b"someone@example.org")
    assert receiver.replay(headers, altered) == 400
    assert receiver.requests[-1][2] == "bad_signature"
    stamp = int(dict(p.split("=", 1) for p in headers["X-Firma-Signature"].split(","))["t"])
    assert verify(headers, body, set(), now=stamp + TOLERANCE + 1) == "stale"


def test_private_addresses_are_refused_by_default(client, settings, receiver, petition_a):
    make_webhook(petition_a.organisation, receiver)
    confirm(client, petition_a.signatures.get(status=Signature.Status.PENDING))
    run_worker()
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "not a public address" in delivery.response_excerpt


def test_the_test_button_delivers(client, hook_settings, receiver, petition_a, owner_a):
    webhook = make_webhook(petition_a.organisation, receiver, ["petition.closed"])
    client.force_login(owner_a)
    client.post(f"/admin/api/webhook/{webhook.pk}/send-test/")
    run_worker()
    assert receiver.events() == ["webhook.test"]
    page = client.get(f"/admin/api/webhook/{webhook.pk}/change/").text
    assert "answered 200 (ok)" in page
