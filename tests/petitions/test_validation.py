"""Bad input gets a clear message next to its field, keeps what was typed, and stores nothing."""

import html
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from firma.petitions.models import FieldSetting, Petition, Signature
from tests.conftest import make_petition, sign, url

pytestmark = pytest.mark.django_db


def field_error(page: str, field: str) -> str:
    """The message shown next to a field, as plain text."""
    marker = f'id="id_{field}_error">'
    start = page.index(marker) + len(marker)
    return html.unescape(page[start : page.index("</p>", start)])


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Please enter your name."),
        ({"full_name": "   \t "}, "full_name", "Please enter your name."),
        ({"full_name": "x" * 121}, "full_name", "Please shorten your name to 120 characters."),
        ({"organization": ""}, "organization", "Please enter your organisation"),
        ({"organization": "o" * 201}, "organization", "Please shorten this to 200 characters."),
        ({"country": ""}, "country", "Please choose your country or territory."),
        ({"country": "XX"}, "country", "Please choose a country or territory from the list."),
        (
            {"country": "Argentina"},
            "country",
            "Please choose a country or territory from the list.",
        ),
        ({"email": ""}, "email", "Please enter your e-mail address."),
        ({"email": "not-an-address"}, "email", "Please enter a valid e-mail address"),
        ({"email": "ana@"}, "email", "Please enter a valid e-mail address"),
        ({"email": "ana@example"}, "email", "Please enter a valid e-mail address"),
        ({"email": "a b@example.org"}, "email", "Please enter a valid e-mail address"),
        ({"email": "a" * 64 + "@" + "b" * 60 + ".c" * 70 + ".org"}, "email", "too long"),
        ({"comment": "c" * 1001}, "comment", "Please shorten your comment to 1000 characters."),
    ],
)
def test_each_field_explains_what_is_wrong(client, petition, overrides, field, message):
    response = sign(client, petition, **overrides)
    assert response.status_code == 400
    assert message in field_error(response.text, field)
    assert 'class="error-summary"' in response.text
    assert f'aria-describedby="id_{field}_error"' in response.text
    assert Signature.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_the_form_keeps_what_was_typed(client, petition):
    response = sign(
        client, petition, email="broken@", full_name="José María Núñez", comment="¡Hola!"
    )
    assert response.status_code == 400
    assert 'value="José María Núñez"' in response.text
    assert 'value="broken@"' in response.text
    assert "¡Hola!</textarea>" in response.text
    assert '<option value="BR" selected>' in response.text


@pytest.mark.parametrize(
    "name", ["Łukasz Żółć", "محمد بن سلمان", "José María Núñez", "王小明", "Ngũgĩ wa Thiong'o"]
)
def test_names_in_any_script_are_accepted(client, petition, name):
    response = sign(client, petition, full_name=name, email="someone@example.org")
    assert response.status_code == 302
    assert Signature.objects.get().full_name == name


def test_text_is_trimmed_and_cleaned(client, petition):
    sign(
        client,
        petition,
        full_name="  Ana \u001b\u0007  Souza \n",
        organization="\tUnion\u200b ",
        comment="  line one\r\nline two  ",
    )
    signature = Signature.objects.get()
    assert signature.full_name == "Ana Souza"
    assert signature.affiliation == "Union\u200b"
    assert signature.comment == "line one\nline two"


def test_null_characters_are_refused(client, petition):
    response = sign(client, petition, full_name="Ana\u0000Souza")
    assert response.status_code == 400
    assert "Null characters are not allowed." in field_error(response.text, "full_name")


def test_international_addresses_are_accepted(client, petition):
    assert sign(client, petition, email="josé@correo.example.com").status_code == 302
    assert Signature.objects.get().email == "josé@correo.example.com"


def test_petition_decides_which_fields_are_asked(client):
    petition = make_petition(
        organization_field=FieldSetting.HIDDEN,
        country_field=FieldSetting.OPTIONAL,
        comment_field=FieldSetting.REQUIRED,
    )
    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert 'name="organization"' not in page
    assert 'name="country"' in page
    response = sign(client, petition, organization="ignored", country="", comment="")
    assert response.status_code == 400
    assert "Please write a comment." in field_error(response.text, "comment")
    assert sign(client, petition, country="", comment="Yes").status_code == 302
    signature = Signature.objects.get()
    assert signature.affiliation == ""
    assert signature.country == ""


def test_choices_are_unticked_by_default(client, petition):
    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert 'name="public"' in page
    assert 'name="news_opt_in"' in page
    assert "checked" not in page
    sign(client, petition, public=None)
    signature = Signature.objects.get()
    assert signature.public is False
    assert signature.news_opt_in is False


def test_a_closed_petition_takes_no_signatures(client, petition):
    petition.status = Petition.Status.CLOSED
    petition.save()
    page = client.get(url("petitions:detail", slug=petition.slug))
    assert "This petition is closed" in page.text
    assert 'name="full_name"' not in page.text
    assert sign(client, petition).status_code == 409
    assert Signature.objects.count() == 0


def test_a_draft_is_not_public(client, petition):
    petition.status = Petition.Status.DRAFT
    petition.save()
    assert client.get(url("petitions:detail", slug=petition.slug)).status_code == 404
    assert sign(client, petition).status_code == 404
    assert client.get(f"/api/petitions/{petition.slug}").status_code == 404


def test_a_draft_can_be_previewed_by_staff(admin_client, petition):
    petition.status = Petition.Status.DRAFT
    petition.save()
    page = admin_client.get(url("petitions:detail", slug=petition.slug))
    assert page.status_code == 200
    assert "only organisers can see it" in page.text


def test_signing_is_post_only(client, petition):
    assert client.get(url("petitions:sign", slug=petition.slug)).status_code == 405


def test_the_form_is_protected_against_cross_site_posts(petition):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        url("petitions:sign", slug=petition.slug),
        {"full_name": "x"},
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    assert "sent from another website" in response.text
    assert Signature.objects.count() == 0


def test_a_petition_past_its_closing_date_takes_no_signatures(client, petition):
    petition.closes_on = timezone.localdate() - timedelta(days=1)
    petition.save()
    assert "This petition is closed" in client.get(url("petitions:detail", slug=petition.slug)).text
    assert sign(client, petition).status_code == 409
    assert Signature.objects.count() == 0


def test_the_closing_day_itself_still_counts(client, petition):
    petition.closes_on = timezone.localdate()
    petition.save()
    assert sign(client, petition).status_code == 302
