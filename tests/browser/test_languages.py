"""People sign in their own language: Spanish, and Arabic, which is written from right to left."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    PETITION,
    Person,
    fill_in,
    heading,
    link_in,
    signature_count,
    translated,
)


def own(language: str, text: str) -> str:
    """What firma shows for `text` in `language`: from its catalogue, and different."""
    result = translated(language, text)
    assert result != text, f"no {language} for {text!r}"
    return result


def sign_and_confirm(person: Person, live, language: str, full_name: str) -> Page:
    email = f"{uuid.uuid4().hex[:12]}@example.org"
    page = person.open(f"/p/{PETITION}/")  # the short link, opened in the browser's language
    assert page.url == f"{live.base}/{language}/p/{PETITION}/"
    expect(page.locator("html")).to_have_attribute("lang", language)
    sign_heading = page.get_by_role("heading", level=2, name=own(language, "Sign the petition"))
    expect(sign_heading).to_be_attached()
    for label in ("Full name", "Organisation / position / occupation", "Country / territory"):
        expect(page.get_by_label(own(language, label), exact=True)).to_be_attached()
    before = signature_count(page)

    fill_in(page, language, full_name=full_name, email=email)
    with person.leaving():
        page.get_by_role("button", name=own(language, "Sign"), exact=True).click()
    expect(heading(page)).to_have_text(own(language, "Almost done: check your inbox"))

    message = live.mail_to(email)
    assert own(language, "Confirm my signature") in message.get_body(("html",)).get_content()
    page = person.open(link_in(message, "confirm"))
    assert page.url.startswith(f"{live.base}/{language}/")
    expect(heading(page)).to_have_text(own(language, "Confirm your signature"))
    with person.leaving():
        page.get_by_role("button", name=own(language, "Confirm my signature")).click()
    expect(heading(page)).to_have_text(own(language, "Thank you: your signature counts"))

    with person.leaving():
        page.get_by_role("link", name=own(language, "Back to the petition")).click()
    assert signature_count(page) == before + 1
    expect(page.locator(".signer-list li").first).to_contain_text(full_name)
    return page


def test_signing_in_spanish(person, live):
    lucia = person("phone", locale="es-ES")
    sign_and_confirm(lucia, live, "es", "Lucía Fernández")


@pytest.mark.parametrize(
    ("device", "javascript"), [("phone", False), ("desktop", True)], ids=["phone-no-js", "desktop"]
)
def test_signing_in_arabic_from_right_to_left(person, live, device, javascript):
    layla = person(device, javascript=javascript, locale="ar-EG")
    page = sign_and_confirm(layla, live, "ar", f"ليلى حداد ({device})")

    # The page reads from right to left...
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    form = page.locator(".signing form").bounding_box()
    label = page.get_by_text(own("ar", "Full name"), exact=True).bounding_box()
    assert label["x"] + label["width"] == pytest.approx(form["x"] + form["width"], abs=1)
    assert label["x"] > form["x"] + 20  # on the right, where an Arabic reader starts
    if device == "desktop":  # the form beside the text: on its left, the mirror of English
        text = page.locator(".appeal").bounding_box()
        assert form["x"] + form["width"] < text["x"]
    # ...but the petition, written in English only, keeps its own language and direction.
    for part in (page.locator("#petition-title"), page.locator(".appeal .body")):
        expect(part).to_have_attribute("dir", "ltr")
    expect(page.locator("#petition-title")).to_have_attribute("lang", "en")
    expect(page.locator(".appeal")).to_have_attribute("lang", "en")
