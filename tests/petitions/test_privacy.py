"""The privacy notice: who is responsible, why, for how long, and the signer's rights."""

import html

import pytest

from tests.conftest import make_petition, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(settings):
    settings.ORGANISATION_NAME = "Friends of Clean Water e.V."
    settings.ORGANISATION_ADDRESS = "Wasserstraße 5, 10115 Berlin"
    settings.ORGANISATION_CONTACT = "https://water.example/contact"
    settings.DATA_PROTECTION_CONTACT = "dpo@water.example"
    settings.RETENTION_DAYS = 45


def page(client, language: str = "en") -> str:
    response = client.get(url("petitions:privacy", language))
    assert response.status_code == 200
    return html.unescape(response.text)


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_each_language_names_the_controller_and_the_retention_period(
    client, organisation, language
):
    text = page(client, language)
    assert f'<html lang="{language}"' in text
    assert "Friends of Clean Water e.V." in text
    assert "Wasserstraße 5, 10115 Berlin" in text
    assert '<a href="https://water.example/contact">' in text
    assert '<a href="mailto:dpo@water.example">dpo@water.example</a>' in text
    retention = text[text.index('id="retention"') : text.index('id="rights"')]
    assert "45" in retention


def test_it_states_the_legal_basis_recipients_rights_and_complaints(client, organisation):
    text = page(client)
    for statement in [
        "Article 6(1)(a) and Article 9(2)(a)",
        "E-mail addresses never are.",
        "Signers who are not listed are counted without their names",
        "no third-party trackers",
        "erased 45 days after the petition closes",
        "(portability)",
        "(objection)",
        "“See, change or delete your signature”",
        "supervisory authority",
    ]:
        assert statement in text


def test_a_petition_with_its_own_retention_period_is_named(client, organisation):
    make_petition(slug="short", texts={"en": ("Short-lived petition", "")}, retention_days=7)
    make_petition(slug="usual", texts={"en": ("Usual petition", "")}, retention_days=45)
    text = page(client)
    assert "Short-lived petition</span>: 7 days" in text
    assert "Usual petition" not in text


def test_the_signing_form_and_every_page_link_to_it(client, petition):
    privacy = url("petitions:privacy")
    text = client.get(url("petitions:detail", slug=petition.slug)).text
    form = text[text.index('<form method="post"') : text.index("</form>")]
    assert f'<a href="{privacy}">' in form
    footer = text[text.index('<footer class="site-footer">') :]
    assert f'<a href="{privacy}">' in footer
    spanish = client.get(url("petitions:detail", "es", slug=petition.slug)).text
    assert f'<a href="{url("petitions:privacy", "es")}">' in spanish


def test_the_petition_page_keeps_its_signers_out_of_search_engines(client, petition):
    text = client.get(url("petitions:detail", slug=petition.slug)).text
    head = text[: text.index("</head>")]
    assert '<meta name="robots" content="noindex">' in head
