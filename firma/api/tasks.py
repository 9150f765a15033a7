"""Sending webhook deliveries: one task per delivery, retried with growing delays."""

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from firma.api.models import WebhookDelivery

logger = logging.getLogger("firma.webhooks")

EXCERPT_BYTES = 2000
EXCERPT_CHARS = 500


class Refused(Exception):
    """The webhook's address may not be reached: asking again will not help."""


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect answers the delivery (as a failure): a signed body is not re-sent elsewhere."""

    def redirect_request(self, *args, **kwargs):
        return None


# Straight to the receiver: no proxy from the environment, and no redirects.
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirects())


def body_of(delivery: WebhookDelivery) -> bytes:
    """The exact bytes sent, and signed: the same at each attempt."""
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook's secret>`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def check_address(url: str) -> None:
    """Refuse loopback, private and link-local addresses, so that a webhook cannot reach the
    server's own services (unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES). A DNS failure is an
    OSError, retried like any network error."""
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for *_, address in socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP):
        if not ipaddress.ip_address(address[0]).is_global:
            raise Refused(f"{parts.hostname} is not a public address.")


def excerpt(response) -> str:
    try:
        return response.read(EXCERPT_BYTES).decode("utf-8", "replace")[:EXCERPT_CHARS]
    except (OSError, http.client.HTTPException):
        return ""


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery: (status code, start of the answer), or (None, the network error)."""
    webhook = delivery.webhook
    body = body_of(delivery)
    request = urllib.request.Request(
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "firma-webhooks/1",
            "X-Firma-Event": delivery.event,
            "X-Firma-Delivery": str(delivery.uuid),
            "X-Firma-Signature": signature_header(webhook.secret, int(time.time()), body),
        },
    )
    try:
        check_address(webhook.url)
        with opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return response.status, excerpt(response)
    except urllib.error.HTTPError as error:
        return error.code, excerpt(error)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        return None, str(getattr(error, "reason", error))


def worth_retrying(code: int | None) -> bool:
    """Network errors, timeouts and server errors pass; a 4xx says the request is wrong."""
    return code is None or code >= 500 or code in (408, 429)


def attempt(delivery: WebhookDelivery) -> tuple[int | None, str, bool]:
    """(status code, answer, whether asking again may help)."""
    if not delivery.webhook.active:
        return None, "The webhook was switched off.", False
    try:
        code, answer = post(delivery)
    except Refused as error:
        return None, str(error), False
    return code, answer, worth_retrying(code)


@task()
def deliver_webhook(delivery_id: int) -> None:
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return
    number = delivery.attempts + 1
    code, answer, retry = attempt(delivery)
    delays = settings.WEBHOOK_RETRY_DELAYS
    if code is not None and 200 <= code < 300:
        status = WebhookDelivery.Status.DELIVERED
    elif retry and number <= len(delays):
        status = WebhookDelivery.Status.PENDING
    else:
        status = WebhookDelivery.Status.FAILED
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=number,
            status=status,
            response_code=code,
            response_excerpt=answer[:EXCERPT_CHARS],
            delivered_at=timezone.now() if status == WebhookDelivery.Status.DELIVERED else None,
        )
        if status == WebhookDelivery.Status.PENDING:
            later = timezone.now() + timedelta(seconds=delays[number - 1])
            deliver_webhook.using(run_after=later).enqueue(delivery.pk)
    if status != WebhookDelivery.Status.DELIVERED:
        logger.warning(
            "Webhook delivery %s, attempt %s: %s %s", delivery.uuid, number, code, status
        )
