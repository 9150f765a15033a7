"""The consents given to partners become consent records, the one place every consent is
kept. Their wording was stored with them, so the records are not marked as migrated. Apart from
0022's schema changes: PostgreSQL builds their indexes at the end of a migration, which rows
written in the same one would hold up."""

import hashlib

from django.db import migrations

BATCH = 2000


def opt_ins_to_records(apps, schema_editor) -> None:
    PartnerOptIn = apps.get_model("petitions", "PartnerOptIn")
    ConsentRecord = apps.get_model("petitions", "ConsentRecord")
    ConsentWording = apps.get_model("petitions", "ConsentWording")
    opt_ins = PartnerOptIn.objects.order_by("pk").values_list(
        "signature_id",
        "partner_id",
        "wording",
        "given_at",
        "signature__language",
        "signature__source",
        "signature__email",
    )
    batch, wordings = [], {}
    for signature, partner, wording, given_at, language, source, email in opt_ins.iterator(
        chunk_size=BATCH
    ):
        if not email:
            continue  # an erased signer keeps nothing about what they chose
        digest = hashlib.sha256(wording.encode()).hexdigest()
        wordings[digest] = wording
        batch.append(
            ConsentRecord(
                signature_id=signature,
                partner_id=partner,
                choice="partner",
                given=True,
                wording_id=digest,
                language=language,
                channel="embed" if source == "embed" else "page",
                migrated=False,
                created_at=given_at,
            )
        )
        if len(batch) >= BATCH:
            save(ConsentWording, ConsentRecord, wordings, batch)
            batch, wordings = [], {}
    save(ConsentWording, ConsentRecord, wordings, batch)


def save(ConsentWording, ConsentRecord, wordings: dict, batch: list) -> None:
    ConsentWording.objects.bulk_create(
        [ConsentWording(digest=digest, text=text) for digest, text in wordings.items()],
        ignore_conflicts=True,
    )
    ConsentRecord.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0022_consent_records_name_partners"),
    ]

    operations = [
        migrations.RunPython(opt_ins_to_records, migrations.RunPython.noop, elidable=True),
    ]
