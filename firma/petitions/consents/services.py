"""Writing consent records. Records are only added, never changed: a withdrawal is a record of
its own, and the history goes with its signature (deleted, or erased after retention)."""

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from firma.petitions.consents.wordings import Consent
from firma.petitions.models import ConsentRecord, ConsentWording, Petition, Signature


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def store_wordings(texts: Iterable[str]) -> dict[str, str]:
    """Each text kept once, whoever stores it at the same moment: {text: digest}."""
    digests = {text: digest(text) for text in set(texts)}
    ConsentWording.objects.bulk_create(
        [ConsentWording(digest=key, text=text) for text, key in digests.items()],
        ignore_conflicts=True,
    )
    return digests


def record(
    shown: Iterable[tuple[Signature, list[Consent], str]], when: datetime | None = None
) -> list[ConsentRecord]:
    """One record for each consent shown to each signature's signer, given or not, in the
    signature's language, with the channel it came through (ConsentRecord.Channel). Call it in
    the transaction that stores the signatures."""
    rows = [
        (signature, consent, channel)
        for signature, consents, channel in shown
        for consent in consents
    ]
    if not rows:
        return []
    digests = store_wordings(consent.wording for _signature, consent, _channel in rows)
    when = when or timezone.now()
    return ConsentRecord.objects.bulk_create(
        [
            ConsentRecord(
                signature_id=signature.pk,
                choice=consent.choice,
                partner_id=consent.partner_id,
                given=consent.given,
                wording_id=digests[consent.wording],
                language=signature.language,
                channel=channel,
                created_at=when,
            )
            for signature, consent, channel in rows
        ]
    )


def change(
    signature: Signature,
    choice: str,
    given: bool,
    wording: str,
    channel: str,
    partner_id: int | None = None,
) -> None:
    """A consent given or withdrawn after signing: a new record beside the old ones."""
    record([(signature, [Consent(choice, given, wording, partner_id)], channel)])


def forget(petition: Petition) -> int:
    """Delete the consent records of a petition's signatures, when its signers are erased: the
    anonymous signatures that stay for the counts keep nothing about what their signer chose."""
    deleted, _ = ConsentRecord.objects.filter(signature__petition=petition).delete()
    return deleted
