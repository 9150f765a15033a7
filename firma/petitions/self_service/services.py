"""What a signer's own actions change."""

from django.db import transaction

from firma.core import events
from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from firma.petitions.retention import forget_in_admin_log


def delete_signature(signature: Signature) -> None:
    """Delete the whole row: the signature stops counting and nothing about it is kept here.

    Receivers of the event (webhooks) remove their copies and tell downstream systems, in the
    same transaction, before the row goes.
    """
    with transaction.atomic():
        doomed = Signature.objects.filter(pk=signature.pk)
        counting.record_signatures(doomed, -1)
        events.signature_deleted.send(Signature, signature=signature)
        forget_in_admin_log(doomed)
        doomed.delete()
        erased = {"signature_ids": [signature.pk], "reason": "withdrawn"}
        events.personal_data_erased.send(Petition, petition=signature.petition, **erased)
