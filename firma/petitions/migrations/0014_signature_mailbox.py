"""Each signature's mailbox (rules.mailboxes), filled in for the signatures there are.

Two signatures of one petition through variants of one address (a.na@ and ana@gmail.com) were
both counted before; the older keeps the mailbox, the later keeps its own address as its
mailbox, so the rule added next (0015) holds without deleting anyone's signature.
"""

from django.db import migrations, models

from firma.petitions.rules.mailboxes import PROVIDERS, mailbox

BATCH = 2000


def fill(apps, schema_editor) -> None:
    Signature = apps.get_model("petitions", "Signature")
    # Most addresses are their own mailbox: one UPDATE for them all.
    Signature.objects.exclude(email="").update(mailbox=models.F("email"))
    # Only the addresses at a provider with variants can differ, and only among themselves.
    variants = (
        Signature.objects.exclude(email="")
        .filter(email_domain__in=list(PROVIDERS))
        .order_by("petition_id", "pk")
        .values_list("pk", "petition_id", "email")
    )
    taken: set[tuple[int, str]] = set()
    changed = []
    for pk, petition_id, email in variants.iterator(chunk_size=BATCH):
        box = mailbox(email)
        if (petition_id, box) in taken:
            box = email
        taken.add((petition_id, box))
        if box != email:
            changed.append(Signature(pk=pk, mailbox=box))
        if len(changed) >= BATCH:
            Signature.objects.bulk_update(changed, ["mailbox"])
            changed = []
    Signature.objects.bulk_update(changed, ["mailbox"])


class Migration(migrations.Migration):
    dependencies = [("petitions", "0013_wasnt_me_suppressions")]

    operations = [
        migrations.AddField(
            model_name="signature",
            name="mailbox",
            field=models.CharField(blank=True, max_length=254, verbose_name="mailbox"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
