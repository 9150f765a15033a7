"""`manage.py import_petition` and `manage.py load_demo`."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from firma.petitions import counting
from firma.petitions.models import FieldSetting, Petition, PetitionText, Signature
from tests.conftest import confirmation_path, run_worker, sign, url

pytestmark = pytest.mark.django_db

SEED_PAGE = settings.BASE_DIR.parent / "shared" / "seed" / "petition-page.txt"

GOOD = """+++
slug = "clean-water"
title = "Clean water for every school"
language = "en"
goal = 5000
status = "open"
closes_on = 2027-06-30

[fields]
comment = "hidden"

[donation]
holder = "Friends of Water"
iban = "de89 3704 0044 0532 0130 00"
bic = "COBADEFFXXX"
reference = "Water"
+++
Every child needs **clean water**.
"""

SPANISH = """+++
slug = "clean-water"
title = "Agua limpia para cada escuela"
language = "es"
+++
Cada niño necesita **agua limpia**.
"""


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def import_files(*paths: Path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_petition", *paths, stdout=out)
    return out.getvalue()


def test_a_file_creates_a_petition(tmp_path):
    output = import_files(write(tmp_path, "water.md", GOOD))
    assert "Created petition 'clean-water'" in output
    petition = Petition.objects.get()
    assert petition.status == Petition.Status.OPEN
    assert petition.goal == 5000
    assert str(petition.closes_on) == "2027-06-30"
    assert petition.default_language == "en"
    assert petition.comment_field == FieldSetting.HIDDEN
    assert petition.organization_field == FieldSetting.REQUIRED
    assert petition.donation_iban == "DE89370400440532013000"
    assert petition.formatted_iban == "DE89 3704 0044 0532 0130 00"
    assert petition.donation_bic == "COBADEFFXXX"
    text = petition.texts.get()
    assert (text.language, text.title) == ("en", "Clean water for every school")
    assert text.body == "Every child needs **clean water**."


def test_another_language_adds_a_translation_sharing_the_count(tmp_path, client):
    import_files(write(tmp_path, "water.md", GOOD))
    output = import_files(write(tmp_path, "water.es.md", SPANISH))
    assert "Updated petition 'clean-water'" in output
    petition = Petition.objects.get()
    assert sorted(petition.texts.values_list("language", flat=True)) == ["en", "es"]
    assert petition.goal == 5000  # keys left out keep their values
    assert petition.default_language == "en"
    page = client.get(url("petitions:detail", "es", slug="clean-water")).text
    assert "Agua limpia para cada escuela" in page
    assert "<strong>agua limpia</strong>" in page


def test_importing_again_updates_the_translation(tmp_path):
    import_files(write(tmp_path, "water.md", GOOD))
    import_files(write(tmp_path, "water.md", GOOD.replace("every school", "all schools")))
    assert PetitionText.objects.get().title == "Clean water for all schools"
    assert Petition.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "key", "reason"),
    [
        (GOOD.replace("de89 3704", "de88 3704"), "donation.iban", "Invalid IBAN"),
        (GOOD.replace('bic = "COBADEFFXXX"', 'bic = "NOPE"'), "donation.bic", "Invalid BIC"),
        (GOOD.replace('language = "en"', 'language = "de"'), "language", "valid choice"),
        (GOOD.replace('title = "Clean water for every school"\n', ""), "title", "required"),
        (GOOD.replace('slug = "clean-water"', 'slug = "clean water!"'), "slug", "valid"),
        (GOOD.replace("goal = 5000", "goal = -3"), "goal", "greater than or equal to 1"),
        (GOOD.replace('status = "open"', 'status = "published"'), "status", "valid choice"),
        (GOOD.replace('comment = "hidden"', 'comment = "maybe"'), "fields.comment", "valid choice"),
        (GOOD.replace("goal = 5000", "gaol = 5000"), "gaol", "unknown key"),
        (GOOD.replace('holder = "Friends', 'owner = "Friends'), "donation.owner", "unknown key"),
    ],
)
def test_a_bad_file_names_the_file_and_the_key_and_imports_nothing(tmp_path, content, key, reason):
    path = write(tmp_path, "bad.md", content)
    with pytest.raises(CommandError) as error:
        import_files(path)
    message = str(error.value)
    assert str(path) in message
    assert f"'{key}'" in message
    assert reason in message
    assert Petition.objects.count() == 0
    assert PetitionText.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('+++\nslug = "x\ntitle = 1\n+++\nBody', "invalid TOML"),
        ("# Just Markdown\n\nNo front matter.", "front matter"),
        ("+++\nslug = 'x'\n", "front matter"),
    ],
)
def test_a_file_without_valid_front_matter_is_refused(tmp_path, content, reason):
    path = write(tmp_path, "bad.md", content)
    with pytest.raises(CommandError, match=reason) as error:
        import_files(path)
    assert str(path) in str(error.value)
    assert Petition.objects.count() == 0


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.md"):
        import_files(tmp_path / "missing.md")


def test_one_bad_file_stops_the_whole_import(tmp_path):
    good = write(tmp_path, "water.md", GOOD)
    bad = write(tmp_path, "water.es.md", SPANISH.replace('language = "es"', 'language = "xx"'))
    with pytest.raises(CommandError):
        import_files(good, bad)
    assert Petition.objects.count() == 0


def test_an_update_with_a_bad_iban_leaves_the_petition_as_it_was(tmp_path):
    import_files(write(tmp_path, "water.md", GOOD))
    with pytest.raises(CommandError):
        import_files(
            write(
                tmp_path,
                "water.md",
                GOOD.replace("goal = 5000", "goal = 9").replace("de89", "de00"),
            )
        )
    assert Petition.objects.get().goal == 5000


def test_the_demo_loads_once_in_four_languages():
    call_command("load_demo")
    petition = Petition.objects.get()
    assert sorted(petition.texts.values_list("language", flat=True)) == ["en", "es", "fr", "pt"]
    assert petition.is_open
    assert petition.has_donations
    call_command("load_demo")
    assert Petition.objects.count() == 1
    assert PetitionText.objects.count() == 4


def seed_petition_file(tmp_path: Path) -> Path:
    """The campaign's page as its organisers would import it: their appeal, their account."""
    lines = [line.strip() for line in SEED_PAGE.read_text(encoding="utf-8").splitlines()]
    paragraphs = [line for line in lines if line]
    title = next(p for p in paragraphs if p.startswith("Against the repression"))
    iban = re.search(r"International transfers to ([A-Z0-9 ]+)", SEED_PAGE.read_text()).group(1)
    body = "\n\n".join(paragraphs[paragraphs.index(title) + 1 :])
    front = f'slug = "against-repression"\ntitle = "{title}"\nlanguage = "en"\nstatus = "open"\n'
    front += f'[donation]\niban = "{iban.strip()}"\n'
    return write(tmp_path, "seed.md", f"+++\n{front}+++\n{body}\n")


@pytest.mark.skipif(not SEED_PAGE.exists(), reason="the seed page is not beside the project")
@pytest.mark.django_db
def test_the_seed_petition_imports_and_takes_signatures_from_around_the_world(
    tmp_path, client, mailbox
):
    import_files(seed_petition_file(tmp_path))
    petition = Petition.objects.get(slug="against-repression")
    assert petition.formatted_iban == "FR76 1027 8061 0500 0596 5934 133"
    page = client.get(url("petitions:detail", slug=petition.slug)).text
    for label in [
        "Full name",
        "Organisation / position / occupation",
        "Country / territory",
        "E-mail",
        "Comment",
    ]:
        assert label in page
    assert "FR76 1027 8061 0500 0596 5934 133" in page

    signers = [
        ("Eduardo Pérez", "Sindicato del neumático, delegado", "AR", "eduardo@example.com.ar"),
        ("Marie Dubois", "Enseignante", "FR", "marie@example.fr"),
        ("Kwame Mensah", "Student", "GH", "kwame@example.com"),
        ("Zeynep Yılmaz", "Journalist", "TR", "zeynep@example.com"),
    ]
    for name, organization, country, email in signers:
        response = sign(
            client,
            petition,
            full_name=name,
            organization=organization,
            country=country,
            email=email,
        )
        assert response.status_code == 302
    run_worker()
    for _name, _organization, _country, email in signers:
        client.post(confirmation_path(mailbox.to(email)[0]))

    assert counting.total(petition) == 4
    api = client.get(f"/api/petitions/{petition.slug}").json()
    assert api["signatures_by_country"] == {"AR": 1, "FR": 1, "GH": 1, "TR": 1}
    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert "Eduardo Pérez" in page
    assert "Argentina" in page
    assert Signature.objects.confirmed().count() == 4


def test_closing_by_import_notes_when_it_closed(tmp_path):
    import_files(write(tmp_path, "water.md", GOOD))
    assert Petition.objects.get().closed_at is None
    import_files(write(tmp_path, "water.md", GOOD.replace('status = "open"', 'status = "closed"')))
    closed_at = Petition.objects.get().closed_at
    assert closed_at is not None
    import_files(write(tmp_path, "water.md", GOOD.replace('status = "open"', 'status = "closed"')))
    assert Petition.objects.get().closed_at == closed_at  # closing again keeps the first date
    import_files(write(tmp_path, "water.md", GOOD))
    assert Petition.objects.get().closed_at is None
