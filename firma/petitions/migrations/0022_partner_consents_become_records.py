"""The consents given to partners become consent records, the one place every consent is
kept. Their wording was stored with them, so the records are not marked as migrated."""

import hashlib

import django.db.models.deletion
from django.db import migrations, models

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
        ("petitions", "0021_endorsements_and_upstream_confirmation"),
    ]

    operations = [
        migrations.AddField(
            model_name="consentrecord",
            name="partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="consents",
                to="petitions.partner",
                verbose_name="partner",
            ),
        ),
        migrations.AlterField(
            model_name="consentrecord",
            name="choice",
            field=models.CharField(
                choices=[
                    ("privacy", "Signing under the privacy notice"),
                    ("listing", "Being listed publicly"),
                    ("petition_news", "Hearing about this petition"),
                    ("organisation_news", "The organisation's news"),
                    ("partner", "Hearing from a partner"),
                ],
                max_length=20,
                verbose_name="consent",
            ),
        ),
        migrations.AddIndex(
            model_name="consentrecord",
            index=models.Index(fields=["partner", "signature"], name="consent_by_partner"),
        ),
        migrations.AddConstraint(
            model_name="consentrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("choice", "partner"), ("partner__isnull", False)),
                    models.Q(
                        models.Q(("choice", "partner"), _negated=True), ("partner__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="partner_consent_names_its_partner",
            ),
        ),
        migrations.RunPython(opt_ins_to_records, migrations.RunPython.noop, elidable=True),
    ]
