"""Partner consents are consent records now (0022): the table they were kept in goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0022_partner_consents_become_records"),
    ]

    operations = [
        migrations.DeleteModel(name="PartnerOptIn"),
    ]
