"""Five interface languages: from the URL, then Accept-Language, then the petition's default."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from firma.petitions.models import Petition
from tests.conftest import confirmation_path, make_petition, run_worker, sign, url

pytestmark = pytest.mark.django_db

TRANSLATED = ["es", "fr", "pt", "ar"]


def translated(message: str, language: str) -> str:
    with translation.override(language):
        result = gettext(message)
    assert result != message, f"{message!r} has no {language} translation"
    return result


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_is_complete(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert missing == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_page_speaks_the_language_of_its_url(client, petition, language):
    page = client.get(url("petitions:detail", language, slug=petition.slug))
    assert page.status_code == 200
    assert f'<html lang="{language}"' in page.text
    for message in ["Sign the petition", "Full name", "Country / territory", "Latest signers"]:
        assert translated(message, language) in page.text


@pytest.mark.parametrize(
    ("language", "country"),
    [
        ("en", "Germany"),
        ("es", "Alemania"),
        ("fr", "Allemagne"),
        ("pt", "Alemanha"),
        ("ar", "ألمانيا"),
    ],
)
def test_country_names_follow_the_language(client, petition, language, country):
    page = client.get(url("petitions:detail", language, slug=petition.slug)).text
    assert f'<option value="DE">{country}</option>' in page


@pytest.mark.parametrize("language", TRANSLATED)
def test_error_messages_are_translated(client, petition, language):
    response = sign(client, petition, language, full_name="", email="nope")
    assert response.status_code == 400
    assert translated("Please enter your name.", language) in response.text
    assert (
        translated("Please enter a valid e-mail address, like name@example.org.", language)
        in response.text
    )


def test_petition_text_in_the_chosen_language_when_it_exists(client, petition):
    spanish = client.get(url("petitions:detail", "es", slug=petition.slug)).text
    assert "Agua limpia para cada escuela" in spanish
    assert '<article class="appeal" lang="es">' in spanish
    french = client.get(url("petitions:detail", "fr", slug=petition.slug)).text
    assert "Clean water for every school" in french  # no French text: the default language's
    assert '<article class="appeal" lang="en">' in french


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("es-AR,es;q=0.9,en;q=0.5", "es"),
        ("de-DE,fr;q=0.8", "fr"),
        ("pt-BR", "pt"),
        ("", "fr"),
        ("de", "fr"),
    ],
)
def test_a_shared_link_opens_in_the_readers_language(client, accept, expected):
    make_petition(slug="water", default_language="fr")
    response = client.get("/p/water/?source=whatsapp", headers={"accept-language": accept})
    assert response.status_code == 302
    assert response["Location"] == f"/{expected}/p/water/?source=whatsapp"


def test_the_front_page_goes_to_the_only_petition(client, petition):
    response = client.get("/", headers={"accept-language": "pt-BR,pt;q=0.9"})
    assert response["Location"] == f"/pt/p/{petition.slug}/"


def test_the_front_page_lists_several_petitions(client, petition):
    make_petition(slug="other", texts={"en": ("Another cause", "")})
    make_petition(slug="draft", texts={"en": ("A draft", "")}, status=Petition.Status.DRAFT)
    response = client.get("/", headers={"accept-language": "es"}, follow=True)
    assert response.redirect_chain[-1][0] == "/es/"
    assert "Agua limpia para cada escuela" in response.text
    assert "Another cause" in response.text
    assert "A draft" not in response.text


def test_the_language_switcher_links_this_page_in_every_language(client, petition):
    page = client.get(url("petitions:detail", "es", slug=petition.slug) + "?page=2").text
    for code, name in [
        ("en", "English"),
        ("fr", "français"),
        ("pt", "Português"),
        ("ar", "العربيّة"),
    ]:
        assert (
            f'href="/{code}/p/{petition.slug}/?page=2" hreflang="{code}" lang="{code}">{name}</a>'
            in page
        )


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_emails_are_in_the_signers_language(client, petition, mailbox, language):
    sign(client, petition, language)
    run_worker()
    [message] = mailbox.messages
    body = message.get_body(("plain",)).get_content()
    ignore = "If you did not sign this petition, ignore this e-mail: nothing will be counted"
    assert translated(ignore + " or published.", language) in body
    assert f"/{language}/p/{petition.slug}/confirm/" in confirmation_path(message)
    html = message.get_body(("html",)).get_content()
    assert f'<html lang="{language}">' in html
    assert translated("Confirm my signature", language) in html
    if language == "es":
        assert "Agua limpia para cada escuela" in message["Subject"]


def test_arabic_pages_read_from_right_to_left(client, petition):
    arabic = client.get(url("petitions:detail", "ar", slug=petition.slug)).text
    assert '<html lang="ar" dir="rtl">' in arabic
    # The petition has no Arabic text: its English one keeps its language and direction.
    assert '<h1 id="petition-title" lang="en" dir="ltr">' in arabic
    english = client.get(url("petitions:detail", "en", slug=petition.slug)).text
    assert '<html lang="en" dir="ltr">' in english


def test_the_live_count_has_each_plural_of_the_language(client, petition):
    """The page gives its script the word after the count in each plural of its language."""
    arabic = client.get(url("petitions:detail", "ar", slug=petition.slug)).text
    for category, word in [("one", "توقيع"), ("two", "توقيعان"), ("few", "توقيعات")]:
        assert f"&quot;{category}&quot;: &quot;{word}&quot;" in arabic
    english = client.get(url("petitions:detail", "en", slug=petition.slug)).text
    assert (
        "{&quot;one&quot;: &quot;signature&quot;, &quot;other&quot;: &quot;signatures&quot;}"
        in english
    )
