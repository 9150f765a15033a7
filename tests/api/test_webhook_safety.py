"""Webhooks that cannot be turned against firma or its signers: pinned addresses, one deadline,
their own queue, and payloads that lose the signer's data once they are no longer needed."""

import json
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from firma.api.models import WebhookDelivery
from firma.api.tasks import deliver_webhook
from firma.petitions import retention
from firma.petitions.models import Petition, Signature
from firma.petitions.tokens import self_service_token
from tests.api.receivers import (
    confirm,
    make_webhook,
    run_mail_worker,
    run_webhook_worker,
    run_worker,
)
from tests.conftest import url

pytestmark = pytest.mark.django_db(transaction=True)


def pending_of(petition: Petition) -> Signature:
    return petition.signatures.get(status=Signature.Status.PENDING)


def test_the_connection_goes_to_the_address_that_was_checked(
    client, hook_settings, receiver, petition_a, monkeypatch
):
    """The name is looked up once: a second answer (rebinding to elsewhere) is never used."""
    real = socket.getaddrinfo
    lookups = []

    def rebinding(host, *args, **kwargs):
        if host != "hooks.example.org":
            return real(host, *args, **kwargs)
        lookups.append(host)
        # First the receiver on loopback, then an address nothing listens on.
        address = "127.0.0.1" if len(lookups) == 1 else "192.0.2.1"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = receiver.server.server_port
    webhook = make_webhook(petition_a.organisation, receiver)
    webhook.url = f"http://hooks.example.org:{port}/hook"
    webhook.save()
    confirm(client, pending_of(petition_a))
    run_worker()
    assert lookups == ["hooks.example.org"]
    [(headers, _, verdict)] = receiver.requests
    assert verdict == "ok"
    assert headers["Host"] == f"hooks.example.org:{port}"
    assert WebhookDelivery.objects.get().status == "delivered"


def test_a_name_that_resolves_to_a_private_address_is_refused(
    client, settings, receiver, petition_a, monkeypatch
):
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *a, **k: real("127.0.0.1" if host == "hooks.example.org" else host, *a, **k),
    )
    webhook = make_webhook(petition_a.organisation, receiver)
    webhook.url = f"http://hooks.example.org:{receiver.server.server_port}/hook"
    webhook.save()
    confirm(client, pending_of(petition_a))
    run_worker()
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert "not a public address" in delivery.response_excerpt


class Dripping:
    """A receiver that answers one byte every `pause` seconds, for ever (as far as we care)."""

    def __init__(self, pause: float = 0.2) -> None:
        dripping = self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                dripping.requests += 1
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                try:
                    for _ in range(300):
                        self.wfile.write(b"X-Slow: a\r\n")
                        self.wfile.flush()
                        time.sleep(pause)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()


def test_one_deadline_for_the_whole_delivery_not_each_read(client, hook_settings, petition_a):
    hook_settings.WEBHOOK_TIMEOUT = 1.0
    hook_settings.WEBHOOK_RETRY_DELAYS = []
    slow = Dripping(pause=0.2)  # each read comes well within the timeout
    try:
        make_webhook(petition_a.organisation, slow)
        confirm(client, pending_of(petition_a))
        run_mail_worker()
        started = time.monotonic()
        run_webhook_worker()
        elapsed = time.monotonic() - started
    finally:
        slow.server.shutdown()
        slow.server.server_close()
    assert slow.requests == 1
    assert elapsed < 4, elapsed
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code) == ("failed", None)
    assert "within" in delivery.response_excerpt


def test_webhooks_wait_in_their_own_queue_behind_no_confirmation_email(
    client, hook_settings, mailbox, petition_a
):
    assert deliver_webhook.queue_name == "webhooks"
    slow = Dripping(pause=0.2)
    try:
        make_webhook(petition_a.organisation, slow)
        confirm(client, pending_of(petition_a))  # a delivery to the slow receiver waits
        signer = {"full_name": "Quick Mail", "email": "quick@example.org", "organization": "U"}
        post = client.post(url("petitions:sign", slug=petition_a.slug), {**signing(), **signer})
        assert post.status_code == 302
        started = time.monotonic()
        run_mail_worker()
        assert time.monotonic() - started < 5
        assert mailbox.to("quick@example.org")
        assert slow.requests == 0
        assert WebhookDelivery.objects.get().status == "pending"
    finally:
        slow.server.shutdown()
        slow.server.server_close()


def signing() -> dict:
    return {"country": "BR", "comment": "", "public": "on"}


def stored_signer(delivery: WebhookDelivery) -> dict:
    return delivery.payload["data"]["signature"]


def test_payloads_lose_the_signer_once_delivered_or_given_up(
    client, hook_settings, receiver, petition_a
):
    make_webhook(petition_a.organisation, receiver)
    signature = pending_of(petition_a)
    confirm(client, signature)
    run_worker()
    [(_, body, _)] = receiver.requests
    assert json.loads(body)["data"]["signature"]["email"] == "pending@example.org"
    delivery = WebhookDelivery.objects.get()
    assert stored_signer(delivery) == {"id": signature.pk, "redacted": True}
    assert delivery.redacted_at is not None
    assert "pending@example.org" not in json.dumps(delivery.payload)
    assert "Pending Person" not in json.dumps(delivery.payload)


def test_a_failed_delivery_is_redacted_and_send_again_says_so(
    client, hook_settings, receiver, petition_a, owner_a
):
    receiver.answers = [410]
    make_webhook(petition_a.organisation, receiver)
    confirm(client, pending_of(petition_a))
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert "pending@example.org" not in json.dumps(delivery.payload)

    client.force_login(owner_a)
    page = client.post(
        "/admin/api/webhookdelivery/",
        {"action": "send_again", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert "was not sent again" in page.text
    assert "personal data was removed" in page.text
    assert WebhookDelivery.objects.get().status == "failed"
    assert (
        "Pending Person" not in client.get(f"/admin/api/webhookdelivery/{delivery.pk}/change/").text
    )


def test_deleting_a_signature_tells_the_receivers_and_purges_its_copies(
    client, hook_settings, receiver, petition_a
):
    receiver.answers = [503]  # the confirmation is still waiting for its retry
    hook_settings.WEBHOOK_RETRY_DELAYS = [3600]
    make_webhook(petition_a.organisation, receiver, ["signature.confirmed"])
    signature = pending_of(petition_a)
    confirm(client, signature)
    run_worker()
    waiting = WebhookDelivery.objects.get()
    assert waiting.status == "pending"
    assert "pending@example.org" in json.dumps(waiting.payload)

    token = self_service_token(signature)
    path = url("petitions:my_signature_delete", slug=petition_a.slug, token=token)
    assert client.post(path, {"confirm": "on"}).status_code == 302
    assert not Signature.objects.filter(pk=signature.pk).exists()

    waiting.refresh_from_db()
    assert "pending@example.org" not in json.dumps(waiting.payload)
    deleted = WebhookDelivery.objects.get(event="signature.deleted")
    assert deleted.payload["data"]["signature_id"] == signature.pk
    run_webhook_worker()
    assert "signature.deleted" in receiver.events()


def test_retention_erasure_purges_the_copies_waiting_to_be_sent(
    client, hook_settings, receiver, petition_a
):
    receiver.answers = [503]
    hook_settings.WEBHOOK_RETRY_DELAYS = [3600]
    make_webhook(petition_a.organisation, receiver)
    confirm(client, pending_of(petition_a))
    run_worker()
    assert WebhookDelivery.objects.get().redacted_at is None
    closed = timezone.now() - timedelta(days=petition_a.retention_days + 1)
    Petition.objects.filter(pk=petition_a.pk).update(status="closed", closed_at=closed)
    retention.anonymise_expired()
    delivery = WebhookDelivery.objects.get()
    assert delivery.redacted_at is not None
    assert "pending@example.org" not in json.dumps(delivery.payload)
