"""Every public page passes axe-core, in each language, on a phone and a desktop.

axe-core (tests/browser/vendor/) runs in each page the person arrives at; a violation it rates
serious or critical fails the test: text without enough contrast, a field without a label, an
image without a text alternative, a page without a language...
"""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    Person,
    fill_in,
    heading,
    link_in,
    petition_path,
    sign_button,
    translated,
)


def press(person: Person, language: str, button: str) -> None:
    with person.leaving():
        person.page.get_by_role("button", name=translated(language, button), exact=True).click()


# Every language on a phone, where the words have least room; English and Arabic also on a
# desktop, in the dark colours that people whose system prefers them get.
@pytest.mark.parametrize(
    ("language", "device", "colours"),
    [
        ("en", "phone", "light"),
        ("es", "phone", "light"),
        ("fr", "phone", "light"),
        ("pt", "phone", "light"),
        ("ar", "phone", "light"),
        ("en", "desktop", "dark"),
        ("ar", "desktop", "dark"),
    ],
)
def test_every_public_page_passes_axe(person, live, language, device, colours):
    zoe = person(device, check_accessibility=True, color_scheme=colours)
    email = f"{uuid.uuid4().hex[:12]}@example.org"

    page = zoe.open(petition_path(language))
    sign_button(page, language).click()  # sent empty: checked in the page
    expect(page.locator("#error-summary")).to_be_focused()
    zoe.arrived("errors")
    fill_in(page, language, full_name="Zoë Ñúñez-O'Brien", email=email)
    press(zoe, language, "Sign")  # the thank-you page
    message = live.mail_to(email)
    zoe.open(link_in(message, "confirm"))
    press(zoe, language, "Confirm my signature")  # the confirmed page
    zoe.open(petition_path(language))  # now with a signer and a country
    expect(page.locator(".signer-list")).to_contain_text("Zoë Ñúñez-O'Brien")
    zoe.open(f"/{language}/privacy/")
    zoe.open(link_in(message, "my"))  # the self-service page
    expect(heading(page)).to_have_text(translated(language, "Your signature"))
    zoe.open(f"/{language}/")  # the list of petitions

    assert len(zoe.pages_seen) == 9
    assert zoe.violations == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_pages_of_a_form_sent_wrongly_pass_axe(person, live, language):
    """The server's own error page (as without JavaScript), a form sent after days without
    cookies (it signs: the form needs none), and a form another site sent (refused)."""
    ada = person("phone", check_accessibility=True)  # axe-core needs JavaScript
    page = ada.open(petition_path(language))
    with ada.leaving():  # sent as it is, as a browser without JavaScript does
        page.evaluate("document.querySelector('.signing form').submit()")
    expect(page.locator("#error-summary")).to_be_focused()

    fill_in(page, language, full_name="Ada Lovelace", email=f"{uuid.uuid4().hex[:12]}@example.org")
    page.context.clear_cookies()  # as if the page had been open for days
    press(ada, language, "Sign")
    expect(heading(page)).to_have_text(translated(language, "Almost done: check your inbox"))

    # A page elsewhere (here: one with no origin at all) posts the form: the browser says so.
    action = f"{live.base}{petition_path(language)}sign/"
    page.goto("about:blank")
    page.set_content(
        f'<form method="post" action="{action}"><input name="full_name" value="Mallory">'
        '<input name="email" value="mallory@example.org"></form>'
    )
    with ada.leaving():
        page.evaluate("document.forms[0].submit()")
    expect(heading(page)).to_have_text(
        translated(language, "This form was sent from another website")
    )

    assert len(ada.pages_seen) == 4
    assert ada.violations == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_signing_for_an_organisation_passes_axe(person, live, language):
    ines = person("phone", check_accessibility=True)
    email = f"{uuid.uuid4().hex[:12]}@example.org"
    page = ines.open(petition_path(language))
    group = page.locator(".organisation-fields")
    expect(group).to_be_hidden()  # shown only to those who sign for an organisation
    fill_in(page, language, full_name="Inês Duarte", email=email)
    page.get_by_label(translated(language, "on behalf of an organisation")).check()
    expect(group).to_be_visible()
    ines.arrived("organisation")
    press(ines, language, "Sign")  # the organisation's name and the position are missing
    expect(page.locator("#error-summary")).to_contain_text(
        translated(language, "Please enter the name of the organisation you sign for.")
    )
    expect(group).to_be_visible()
    page.get_by_label(translated(language, "Name of the organisation"), exact=True).fill(
        "Sindicato dos Professores"
    )
    page.get_by_label(translated(language, "Your position in the organisation"), exact=True).fill(
        "Secretária-geral"
    )
    press(ines, language, "Sign")  # the thank-you page
    expect(heading(page)).to_be_visible()
    live.mail_to(email)
    assert ines.violations == []
