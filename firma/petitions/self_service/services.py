"""What a signer's own actions change."""

from django.db import transaction

from firma.core import events
from firma.petitions import counting
from firma.petitions.consents import services as consents
from firma.petitions.consents import wordings
from firma.petitions.models import ConsentRecord, Petition, Signature
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


# Each consent a signer can withdraw after signing, and the field that holds whether it stands.
CONSENT_FIELDS = {
    ConsentRecord.Choice.LISTING: "public",
    ConsentRecord.Choice.PETITION_NEWS: "news_opt_in",
    ConsentRecord.Choice.ORGANISATION_NEWS: "organisation_news",
}


def withdraw(signature: Signature, choice: str, channel: str) -> None:
    """Withdraw a consent, with a record of the words the signer pressed; the records of when
    it was given stay. Withdrawing what is not given changes nothing."""
    field = CONSENT_FIELDS[choice]
    with transaction.atomic():
        if Signature.objects.filter(pk=signature.pk, **{field: True}).update(**{field: False}):
            consents.change(signature, choice, False, wordings.withdrawal(choice), channel)
    setattr(signature, field, False)
