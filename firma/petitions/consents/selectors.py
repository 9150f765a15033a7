"""Reading consent records: a signature's history, for its signer and its organisers."""

from django.db.models import QuerySet

from firma.petitions.models import ConsentRecord, Signature


def records_for(signature: Signature) -> QuerySet[ConsentRecord]:
    """The signature's consent records, oldest first, with their wording."""
    return ConsentRecord.objects.filter(signature=signature).select_related("wording")


def record_data(record: ConsentRecord) -> dict:
    """A record as exported, to the signer and for a data-subject request."""
    return {
        "consent": record.choice,
        "consent_label": str(record.get_choice_display()),
        "given": record.given,
        "when": record.created_at.isoformat(),
        "channel": record.channel,
        "language": record.language,
        "wording": record.wording.text if record.wording else None,
        "wording_sha256": record.wording_id,
        "migrated": record.migrated,
    }


def history(signature: Signature) -> list[dict]:
    return [record_data(record) for record in records_for(signature)]
