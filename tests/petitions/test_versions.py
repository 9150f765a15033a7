"""What was signed: each change to an open petition's texts is a version; signatures refer to
the version they were signed under; the public changes page shows the dated differences."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse

from firma.petitions.models import Petition, PetitionVersion, Signature
from tests.conftest import make_petition, petition_form_data, sign, url

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "firma.petitions.migrations.0017_signatures_point_at_their_version"
)


def edit(client, petition: Petition, **changes) -> None:
    admin = User.objects.create_superuser("root", "root@example.org", "pw-pw-pw-pw")
    client.force_login(admin)
    response = client.post(
        reverse("admin:petitions_petition_change", args=[petition.pk]),
        petition_form_data(petition, **changes),
    )
    assert response.status_code == 302, response.content[:3000]
    client.logout()


def test_a_text_edit_is_a_version_and_each_signature_keeps_its_own(client, petition):
    sign(client, petition, email="before@example.org")
    edit(
        client,
        petition,
        **{"texts-0-body": "Every child needs **clean water** and soap.", "texts-1-title": "Agua"},
    )
    sign(client, petition, email="after@example.org", REMOTE_ADDR="10.0.0.2")

    first, second = PetitionVersion.objects.filter(petition=petition).order_by("number")
    assert Signature.objects.get(email="before@example.org").version == first
    assert Signature.objects.get(email="after@example.org").version == second
    assert second.texts["en"]["body"].endswith("and soap.")

    link = url("petitions:changes", slug=petition.slug)
    assert link in client.get(url("petitions:detail", slug=petition.slug)).text
    page = client.get(link)
    assert page.status_code == 200
    text = page.text
    assert "Version 2" in text
    assert "<del>− Every child needs **clean water**.</del>" in text
    assert "<ins>+ Every child needs **clean water** and soap.</ins>" in text
    assert "<ins>+ Agua</ins>" in text
    assert f'datetime="{second.created_at.isoformat()}"'[:30] in text


def test_saving_without_a_change_adds_no_version(client, petition):
    sign(client, petition)
    edit(client, petition)
    assert PetitionVersion.objects.count() == 1


def test_a_draft_has_no_versions_and_the_page_changes_nothing(client):
    draft = make_petition(slug="draft", status=Petition.Status.DRAFT)
    edit(client, draft, **{"texts-0-body": "Changed while a draft."})
    assert not PetitionVersion.objects.exists()
    opened = make_petition(slug="opened")
    page = client.get(url("petitions:changes", slug=opened.slug))
    assert "have not changed" in page.text
    assert not PetitionVersion.objects.exists()  # a GET records nothing


def test_the_changes_page_is_translated(client, petition):
    sign(client, petition)
    page = client.get(url("petitions:changes", "es", slug=petition.slug))
    assert "Cambios en esta petición" in page.text


def test_existing_signatures_point_at_the_current_version(petition):
    for n in range(2):
        Signature.objects.create(
            petition=petition, full_name="X", email=f"s{n}@example.org", language="en"
        )
    make_petition(slug="draft", status=Petition.Status.DRAFT)
    migration.forwards(apps, connection.schema_editor())
    version = PetitionVersion.objects.get()
    assert version.number == 1 and version.petition == petition
    assert version.texts["es"]["title"] == "Agua limpia para cada escuela"
    assert set(Signature.objects.values_list("version", flat=True)) == {version.pk}


def test_edits_before_the_first_signature_are_no_versions(client, petition):
    edit(client, petition, **{"texts-0-body": "Reworded before anyone signed."})
    assert not PetitionVersion.objects.exists()
    sign(client, petition)
    assert PetitionVersion.objects.get().texts["en"]["body"] == "Reworded before anyone signed."
