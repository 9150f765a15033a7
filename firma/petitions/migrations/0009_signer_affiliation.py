from django.db import migrations


class Migration(migrations.Migration):
    """The signer's organisation / position / occupation is their affiliation: the owner of a
    petition is its organisation. Only the column is renamed; HTTP and API names stay."""

    dependencies = [("petitions", "0008_listed_signers_index")]

    operations = [
        migrations.RenameField("signature", "organization", "affiliation"),
    ]
