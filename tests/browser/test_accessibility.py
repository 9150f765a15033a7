"""Every page on a signer's way passes axe-core, in each language, on a phone and a desktop.

axe-core (tests/browser/vendor/) runs in each page the person arrives at; a violation it rates
serious or critical fails the test: text without enough contrast, a field without a label, an
image without a text alternative, a page without a language...
"""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Person, fill_in, heading, link_in, petition_path, translated


def press(person: Person, language: str, button: str) -> None:
    with person.leaving():
        person.page.get_by_role("button", name=translated(language, button), exact=True).click()


# Every language on a phone, where the words have least room; English also on a desktop, in the
# dark colours that people whose system prefers them get (the light ones are the phones').
@pytest.mark.parametrize(
    ("language", "device", "colours"),
    [
        ("en", "phone", "light"),
        ("es", "phone", "light"),
        ("fr", "phone", "light"),
        ("pt", "phone", "light"),
        ("en", "desktop", "dark"),
    ],
)
def test_a_signers_pages_pass_axe(person, live, language, device, colours):
    zoe = person(device, check_accessibility=True, color_scheme=colours)
    email = f"{uuid.uuid4().hex[:12]}@example.org"

    page = zoe.open(petition_path(language))
    press(zoe, language, "Sign")  # sent empty: the form with its errors
    expect(page.locator("#error-summary")).to_be_visible()
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

    assert len(zoe.pages_seen) == 8
    assert zoe.violations == []
