"""One signature per mailbox, in its own migration: after 0014 has filled the column."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("petitions", "0014_signature_mailbox")]

    operations = [
        migrations.AddConstraint(
            model_name="signature",
            constraint=models.UniqueConstraint(
                condition=models.Q(("mailbox", ""), _negated=True),
                fields=("petition", "mailbox"),
                name="one_signature_per_mailbox",
            ),
        ),
    ]
