"""What the ledger does when firma.core.events announce a change: note the signatures to look
at when the counts fold (one cheap insert, like a tally change), or, for an erasure, destroy the
salts at once. With LEDGER_ENABLED off, only the salts are destroyed."""

from django.conf import settings

from firma.ledger import services
from firma.ledger.tasks import append_and_sign


def on_signature_confirmed(sender, signature, **kwargs) -> None:
    if settings.LEDGER_ENABLED:
        services.note(signature.petition_id, [signature.pk])


def on_signatures_changed(sender, petition, signature_ids, **kwargs) -> None:
    if settings.LEDGER_ENABLED:
        services.note(petition.pk, signature_ids)


def on_personal_data_erased(sender, petition, signature_ids=None, reason="", **kwargs) -> None:
    services.forget_salts(petition, signature_ids)
    if signature_ids is not None and settings.LEDGER_ENABLED:
        services.note(petition.pk, signature_ids, reason)


def on_counts_folded(sender, **kwargs) -> None:
    if settings.LEDGER_ENABLED:
        append_and_sign(sign=False)
