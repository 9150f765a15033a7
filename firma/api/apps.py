from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "firma.api"
    verbose_name = _("API and webhooks")

    def ready(self) -> None:
        from firma.api import webhooks
        from firma.core import events as events

        receivers = [
            (events.signature_confirmed, webhooks.on_signature_confirmed),
            (events.signatures_invalidated, webhooks.on_signatures_invalidated),
            (events.milestone_reached, webhooks.on_milestone_reached),
            (events.petition_closed, webhooks.on_petition_closed),
            (events.response_published, webhooks.on_response_published),
            (events.outcome_recorded, webhooks.on_outcome_recorded),
            (events.petition_delivered, webhooks.on_petition_delivered),
        ]
        for signal, receiver in receivers:
            signal.connect(receiver, dispatch_uid=f"firma.api.{receiver.__name__}")
