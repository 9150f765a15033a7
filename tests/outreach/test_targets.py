"""Targets: named in the petition file (roles translated by order), edited in the workspace,
shown on the public page in every language and in the API, never with their addresses."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from firma.petitions.models import Petition, Target
from tests.conftest import url

pytestmark = pytest.mark.django_db

ENGLISH = """+++
slug = "safe-streets"
title = "Safe streets for everyone"
language = "en"
status = "open"
deliver_at = 500
auto_deliver = true
response_days = 30
deliver_unlisted_names = false

[[targets]]
name = "Ana Pérez"
role = "Minister of Security"
email = "minister@security.example"
country = "AR"

[[targets]]
name = "City Council"
role = "Legislature"
+++
Light every street.
"""

SPANISH = """+++
slug = "safe-streets"
title = "Calles seguras para todos"
language = "es"

[[targets]]
name = "Ana Pérez"
role = "Ministra de Seguridad"

[[targets]]
role = "Legislatura"
+++
Iluminar cada calle.
"""


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def import_files(*paths: Path) -> None:
    call_command("import_petition", *paths, stdout=open("/dev/null", "w"))  # noqa: SIM115


def imported(tmp_path: Path) -> Petition:
    import_files(write(tmp_path, "en.md", ENGLISH), write(tmp_path, "es.md", SPANISH))
    return Petition.objects.get(slug="safe-streets")


def test_the_file_names_the_targets_and_the_delivery_settings(tmp_path):
    petition = imported(tmp_path)
    assert petition.deliver_at == 500
    assert petition.auto_deliver is True
    assert petition.response_days == 30
    assert petition.deliver_unlisted_names is False
    minister, council = petition.targets.all()
    assert (minister.name, minister.role, minister.email) == (
        "Ana Pérez",
        "Minister of Security",
        "minister@security.example",
    )
    assert minister.country.code == "AR"
    assert minister.role_in("es") == "Ministra de Seguridad"
    assert (council.name, council.email, council.role_in("es")) == (
        "City Council",
        "",
        "Legislatura",
    )


def test_importing_again_keeps_the_targets_and_their_translations(tmp_path):
    petition = imported(tmp_path)
    first = list(petition.targets.values_list("pk", flat=True))
    changed = ENGLISH.replace('role = "Legislature"', 'role = "Legislature of the city"')
    import_files(write(tmp_path, "en.md", changed))
    assert list(petition.targets.values_list("pk", flat=True)) == first
    council = petition.targets.get(name="City Council")
    assert council.role == "Legislature of the city"
    assert council.role_in("es") == "Legislatura"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('email = "minister@security.example"', 'email = "not an address"'), "target 1: email"),
        (('country = "AR"', 'country = "XX"'), "target 1: country"),
        (('country = "AR"', 'phone = "123"'), "unknown key 'phone'"),
        (("auto_deliver = true", 'auto_deliver = "yes"'), "key 'auto_deliver'"),
        (("deliver_at = 500", "deliver_at = 0"), "key 'deliver_at'"),
        (("response_days = 30", "response_days = -1"), "key 'response_days'"),
        (('name = "City Council"', 'name = ""'), "target 2: name"),
    ],
)
def test_bad_values_are_refused_with_the_key(tmp_path, change, message):
    with pytest.raises(CommandError) as error:
        import_files(write(tmp_path, "en.md", ENGLISH.replace(*change)))
    assert message in str(error.value)
    assert not Petition.objects.exists()


def test_a_translation_gives_roles_only_and_in_order(tmp_path):
    import_files(write(tmp_path, "en.md", ENGLISH))
    wrong_order = SPANISH.replace('name = "Ana Pérez"', 'name = "City Council"')
    with pytest.raises(CommandError, match="same order"):
        import_files(write(tmp_path, "es.md", wrong_order))
    with_address = SPANISH.replace('role = "Legislatura"', 'role = "L"\nemail = "x@example.org"')
    with pytest.raises(CommandError, match="only name and role"):
        import_files(write(tmp_path, "es.md", with_address))


def test_the_page_says_whom_it_is_addressed_to_in_each_language(tmp_path, client):
    petition = imported(tmp_path)
    english = client.get(url("petitions:detail", "en", slug=petition.slug)).content.decode()
    assert "Addressed to" in english
    assert "Ana Pérez" in english and "Minister of Security" in english
    assert "minister@security.example" not in english
    spanish = client.get(url("petitions:detail", "es", slug=petition.slug)).content.decode()
    assert "Dirigida a" in spanish
    assert "Ministra de Seguridad" in spanish
    assert "Legislatura" in spanish


def test_the_public_api_shows_targets_without_their_addresses(tmp_path, client):
    petition = imported(tmp_path)
    data = client.get(f"/api/v1/petitions/{petition.slug}").json()
    assert [target["name"] for target in data["targets"]] == ["Ana Pérez", "City Council"]
    assert data["targets"][0]["role_translations"] == {"es": "Ministra de Seguridad"}
    assert data["targets"][0]["country"] == "AR"
    assert "email" not in data["targets"][0]
    assert data["deliveries"] == []


def test_editors_add_targets_on_the_petition_page(client_a, petition_a):
    from tests.conftest import petition_form_data

    data = petition_form_data(
        petition_a,
        organisation=petition_a.organisation_id,
        **{
            "targets-TOTAL_FORMS": "1",
            "targets-0-position": "0",
            "targets-0-name": "The Governor",
            "targets-0-role": "Governor",
            "targets-0-role_translations": "{}",
            "targets-0-email": "governor@example.gov",
            "targets-0-country": "BR",
        },
    )
    response = client_a.post(f"/admin/petitions/petition/{petition_a.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    target = Target.objects.get(petition=petition_a)
    assert (target.name, target.email, target.country.code) == (
        "The Governor",
        "governor@example.gov",
        "BR",
    )
