"""The partner's export: the signers who consented to hear from it, and no one else. Each
download is written to the audit log before its first row leaves."""

from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from firma.organiser.audit import services as audit
from firma.organiser.exports.services import CHUNK, neutralise, when, yes_no
from firma.organiser.partners.selectors import consenting
from firma.petitions.models import Partner

HEADER = [
    "full_name",
    "email",
    "organisation",
    "country",
    "language",
    "confirmed_at",
    "consent",
    "consent_given_at",
    "brought_by_partner",
]


def export(partner: Partner, user: AbstractBaseUser) -> Iterator[list[str]]:
    """The consenting signers' rows, after a header; the download is in the audit log."""
    signatures = consenting(partner)
    audit.record(
        partner.petition,
        user,
        audit.Action.PARTNER_EXPORT,
        f"{partner.name}: {signatures.count()}",
    )
    return rows(partner, signatures)


def rows(partner: Partner, signatures) -> Iterator[list[str]]:
    zone = timezone.get_current_timezone()
    # The consent's columns are those of the record in force, which selected the signature.
    values = signatures.order_by("confirmed_at", "pk").values_list(
        "full_name",
        "email",
        "affiliation",
        "country",
        "language",
        "confirmed_at",
        "partner_consent_wording",
        "partner_consent_at",
        "partner_id",
    )
    yield HEADER
    for (
        name,
        email,
        affiliation,
        country,
        language,
        confirmed,
        wording,
        given,
        by,
    ) in values.iterator(chunk_size=CHUNK):
        yield [
            neutralise(name),
            neutralise(email),
            neutralise(affiliation),
            country,
            language,
            when(confirmed, zone),
            neutralise(wording),
            when(given, zone),
            yes_no(by == partner.pk),
        ]
