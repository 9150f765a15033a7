"""Partner consents are consent records now (0023 moves the stored ones into them): a record
may name the partner it is about."""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
