"""Webhooks: what happens to an organisation's petitions, POSTed as signed JSON to its URLs.

The receivers below listen to firma.core.events. Each is called inside the transaction
that made the change, and stores a delivery row and its task there: the event is sent if and
only if the change happened. tasks.py sends them.
"""

import secrets
from collections.abc import Iterable

from django.utils import timezone

from firma.api import representations
from firma.api.models import Event, Webhook, WebhookDelivery
from firma.api.tasks import deliver_webhook
from firma.petitions import counting
from firma.petitions.models import Delivery, Petition, Response, Signature

# Signature ids per delivery of a bulk invalidation, so that no body grows without bound.
IDS_PER_DELIVERY = 1000


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def petition_data(petition: Petition) -> dict:
    text = petition.text_for(petition.default_language)
    return {"slug": petition.slug, "title": text.title, "status": petition.status}


def queue(webhooks: Iterable[Webhook], event: str, data: dict) -> list[WebhookDelivery]:
    """A delivery of `data` to each of `webhooks`, each with its task (see tasks.py)."""
    deliveries = []
    for webhook in webhooks:
        delivery = WebhookDelivery(webhook=webhook, event=event)
        delivery.payload = {
            "id": str(delivery.uuid),
            "event": event,
            "created_at": timezone.now().isoformat(),
            "data": data,
        }
        delivery.save()
        deliver_webhook.enqueue(delivery.pk)
        deliveries.append(delivery)
    return deliveries


def subscribers(petition: Petition, event: str) -> list[Webhook]:
    """The active webhooks of the petition's organisation that asked for `event`."""
    if petition.organisation_id is None:
        return []
    webhooks = Webhook.objects.filter(organisation=petition.organisation_id, active=True)
    return [webhook for webhook in webhooks if webhook.wants(event)]


def on_signature_confirmed(sender, signature: Signature, **kwargs) -> None:
    petition = signature.petition
    webhooks = subscribers(petition, Event.SIGNATURE_CONFIRMED)
    if webhooks:
        data = {
            "petition": petition_data(petition),
            "signature": representations.private_signature(signature),
        }
        queue(webhooks, Event.SIGNATURE_CONFIRMED, data)


def on_signatures_invalidated(
    sender, petition: Petition, signature_ids: list[int], **kwargs
) -> None:
    webhooks = subscribers(petition, Event.SIGNATURE_INVALIDATED)
    ids = sorted(signature_ids)
    for start in range(0, len(ids) if webhooks else 0, IDS_PER_DELIVERY):
        chunk = ids[start : start + IDS_PER_DELIVERY]
        queue(
            webhooks,
            Event.SIGNATURE_INVALIDATED,
            {"petition": petition_data(petition), "signature_ids": chunk},
        )


def on_milestone_reached(sender, petition: Petition, number: int, **kwargs) -> None:
    webhooks = subscribers(petition, Event.PETITION_MILESTONE)
    if webhooks:
        data = {"petition": petition_data(petition), "number": number, "goal": petition.goal}
        queue(webhooks, Event.PETITION_MILESTONE, data)


def on_petition_closed(sender, petition: Petition, **kwargs) -> None:
    webhooks = subscribers(petition, Event.PETITION_CLOSED)
    if webhooks:
        data = {
            "petition": petition_data(petition),
            "signature_count": counting.total(petition),
            "closed_at": representations.moment(petition.closed_at),
        }
        queue(webhooks, Event.PETITION_CLOSED, data)


def on_response_published(sender, petition: Petition, response: Response, **kwargs) -> None:
    webhooks = subscribers(petition, Event.RESPONSE_PUBLISHED)
    if webhooks:
        data = {
            "petition": petition_data(petition),
            "response": representations.response_data(response),
        }
        queue(webhooks, Event.RESPONSE_PUBLISHED, data)


def on_outcome_recorded(sender, petition: Petition, **kwargs) -> None:
    webhooks = subscribers(petition, Event.PETITION_OUTCOME)
    if webhooks:
        data = {
            "petition": petition_data(petition),
            "outcome": representations.outcome_data(petition),
        }
        queue(webhooks, Event.PETITION_OUTCOME, data)


def on_petition_delivered(sender, petition: Petition, delivery: Delivery, **kwargs) -> None:
    webhooks = subscribers(petition, Event.PETITION_DELIVERED)
    if webhooks:
        data = {
            "petition": petition_data(petition),
            "delivery": representations.delivery_data(delivery),
        }
        queue(webhooks, Event.PETITION_DELIVERED, data)


def send_test(webhook: Webhook) -> WebhookDelivery:
    """A test delivery, whatever events the webhook asked for."""
    data = {"organisation": webhook.organisation.slug, "message": "firma webhook test"}
    return queue([webhook], Event.TEST, data)[0]
