"""Existing signatures point at the version they were gathered on: each petition past its draft
gets a first version holding its texts as they are now (no earlier ones were kept), and its
signatures refer to it."""

from django.db import migrations


def forwards(apps, schema_editor) -> None:
    Petition = apps.get_model("petitions", "Petition")
    PetitionVersion = apps.get_model("petitions", "PetitionVersion")
    Signature = apps.get_model("petitions", "Signature")
    for petition in Petition.objects.exclude(status="draft").order_by("pk"):
        if PetitionVersion.objects.filter(petition=petition).exists():
            continue
        texts = {
            text.language: {"title": text.title, "body": text.body}
            for text in petition.texts.order_by("language")
        }
        first = PetitionVersion.objects.create(
            petition=petition, number=1, texts=texts, created_at=petition.created_at
        )
        Signature.objects.filter(petition=petition, version__isnull=True).update(version=first)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0016_petition_versions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
