"""Reading consent records: a signature's history, for its signer and its organisers."""

from django.db.models import OuterRef, QuerySet, Subquery

from firma.petitions.models import ConsentRecord, Partner, Signature


def records_for(signature: Signature) -> QuerySet[ConsentRecord]:
    """The signature's consent records, oldest first, with their wording."""
    return ConsentRecord.objects.filter(signature=signature).select_related("wording", "partner")


def record_data(record: ConsentRecord) -> dict:
    """A record as exported, to the signer and for a data-subject request."""
    return {
        "consent": record.choice,
        "consent_label": str(record.get_choice_display()),
        # The partner's slug, for a consent to hear from a partner; None for the others.
        "partner": record.partner.slug if record.partner_id else None,
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


def partners_given(signature: Signature) -> list[ConsentRecord]:
    """The records in force that give a partner the signer's consent, one per partner."""
    latest = ConsentRecord.objects.filter(
        signature=signature, choice=ConsentRecord.Choice.PARTNER
    ).select_related("wording", "partner")
    return [record for record in latest.latest_per_choice().values() if record.given]


def latest_for_partner(partner: Partner) -> QuerySet[ConsentRecord]:
    """For a Subquery over signatures: the record in force about hearing from `partner`."""
    return ConsentRecord.objects.filter(signature=OuterRef("pk"), partner=partner).order_by(
        "-created_at", "-pk"
    )


def with_partner_consent(signatures: QuerySet[Signature], partner: Partner) -> QuerySet:
    """`signatures` whose signers' last word about hearing from `partner` is yes, annotated
    with that record's wording and time."""
    latest = latest_for_partner(partner)
    return signatures.annotate(
        partner_consent=Subquery(latest.values("given")[:1]),
        partner_consent_wording=Subquery(latest.values("wording__text")[:1]),
        partner_consent_at=Subquery(latest.values("created_at")[:1]),
    ).filter(partner_consent=True)
