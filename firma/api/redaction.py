"""Webhook payloads keep a signer's personal data only while they may still be sent.

A signature.confirmed payload holds the signer's name, address and comment. Once the delivery
is delivered or given up, and at once when the signer's data is erased or the signer deletes
the signature, the payload keeps the signature's id and nothing else about the signer.
"""

from django.db.models import QuerySet
from django.utils import timezone

from firma.api.models import WebhookDelivery

BATCH = 500


def redacted(payload: dict) -> dict:
    """The payload with the signer reduced to the signature's id."""
    data = dict(payload.get("data") or {})
    signer = data.get("signature")
    if isinstance(signer, dict):
        data["signature"] = {"id": signer.get("id"), "redacted": True}
    return {**payload, "data": data}


def redact(deliveries: QuerySet[WebhookDelivery]) -> int:
    """Remove the personal data from the payloads of `deliveries` that still hold some."""
    now = timezone.now()
    holding = deliveries.filter(signature__isnull=False, redacted_at__isnull=True)
    batch: list[WebhookDelivery] = []
    count = 0
    for delivery in holding.only("pk", "payload").iterator(chunk_size=BATCH):
        delivery.payload = redacted(delivery.payload)
        delivery.redacted_at = now
        batch.append(delivery)
        if len(batch) == BATCH:
            count += WebhookDelivery.objects.bulk_update(batch, ["payload", "redacted_at"])
            batch = []
    if batch:
        count += WebhookDelivery.objects.bulk_update(batch, ["payload", "redacted_at"])
    return count
