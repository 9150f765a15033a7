"""Sending webhook deliveries: one task per delivery, retried with growing delays."""

import hashlib
import hmac
import http.client
import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from firma.api import outbound
from firma.api.models import WebhookDelivery
from firma.api.outbound import Refused
from firma.api.redaction import redact

logger = logging.getLogger("firma.webhooks")

# Webhooks have a queue and a worker of their own (`db_worker --queue-name webhooks`): a slow
# or dead receiver holds that worker, never the one sending confirmation e-mails.
QUEUE = "webhooks"


def body_of(delivery: WebhookDelivery) -> bytes:
    """The exact bytes sent, and signed: the same at each attempt."""
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook's secret>`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery: (status code, the answer as kept), or (None, the network error)."""
    webhook = delivery.webhook
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "firma-webhooks/1",
        "X-Firma-Event": delivery.event,
        "X-Firma-Delivery": str(delivery.uuid),
        "X-Firma-Signature": signature_header(webhook.secret, int(time.time()), body),
    }
    try:
        answer = outbound.post(webhook.url, body, headers, settings.WEBHOOK_TIMEOUT)
    except (OSError, http.client.HTTPException) as error:
        return None, (str(error) or type(error).__name__)[: outbound.EXCERPT_CHARS]
    return answer.code, answer.text


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


@task(queue_name=QUEUE)
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
    done = status != WebhookDelivery.Status.PENDING
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=number,
            status=status,
            response_code=code,
            response_excerpt=answer[: outbound.EXCERPT_CHARS],
            delivered_at=timezone.now() if status == WebhookDelivery.Status.DELIVERED else None,
        )
        if done:
            # Delivered or given up: the signer's data is not needed here any more.
            redact(WebhookDelivery.objects.filter(pk=delivery.pk))
        if status == WebhookDelivery.Status.PENDING:
            later = timezone.now() + timedelta(seconds=delays[number - 1])
            deliver_webhook.using(run_after=later).enqueue(delivery.pk)
    if status != WebhookDelivery.Status.DELIVERED:
        logger.warning(
            "Webhook delivery %s, attempt %s: %s %s", delivery.uuid, number, code, status
        )
