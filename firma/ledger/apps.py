from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "firma.ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        from firma.core import events, periodic
        from firma.ledger import receivers, tasks

        periodic.register(tasks.publish_heads)
        for signal, receiver in (
            (events.signature_confirmed, receivers.on_signature_confirmed),
            (events.signatures_invalidated, receivers.on_signatures_changed),
            (events.signatures_restored, receivers.on_signatures_changed),
            (events.signatures_added, receivers.on_signatures_changed),
            (events.personal_data_erased, receivers.on_personal_data_erased),
            (events.counts_folded, receivers.on_counts_folded),
        ):
            signal.connect(receiver, dispatch_uid=f"firma.ledger.{receiver.__name__}")
