"""Partner consents are consent records now (0023): the table they were kept in goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0023_partner_opt_ins_become_records"),
    ]

    operations = [
        migrations.DeleteModel(name="PartnerOptIn"),
    ]
