"""A Spanish speaker signs in Spanish, from the short link their browser opens in Spanish."""

import uuid

from playwright.sync_api import expect

from tests.browser.conftest import (
    PETITION,
    fill_in,
    heading,
    link_in,
    signature_count,
    translated,
)


def spanish(text: str) -> str:
    """The Spanish that firma shows for `text`: from its catalogue, and different."""
    result = translated("es", text)
    assert result != text, f"no Spanish for {text!r}"
    return result


def test_signing_in_spanish(person, live):
    lucia = person("phone", locale="es-ES")
    email = f"{uuid.uuid4().hex[:12]}@example.org"

    page = lucia.open(f"/p/{PETITION}/")
    assert page.url == f"{live.base}/es/p/{PETITION}/"
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=2, name=spanish("Sign the petition"))).to_be_visible()
    for label in ("Full name", "Organisation / position / occupation", "Country / territory"):
        expect(page.get_by_label(spanish(label), exact=True)).to_be_visible()
    before = signature_count(page)

    fill_in(page, "es", full_name="Lucía Fernández", email=email)
    with lucia.leaving():
        page.get_by_role("button", name=spanish("Sign"), exact=True).click()
    expect(heading(page)).to_have_text(spanish("Almost done: check your inbox"))

    message = live.mail_to(email)
    page = lucia.open(link_in(message, "confirm"))
    assert page.url.startswith(f"{live.base}/es/")
    expect(heading(page)).to_have_text(spanish("Confirm your signature"))
    with lucia.leaving():
        page.get_by_role("button", name=spanish("Confirm my signature")).click()
    expect(heading(page)).to_have_text(spanish("Thank you: your signature counts"))

    with lucia.leaving():
        page.get_by_role("link", name=spanish("Back to the petition")).click()
    assert signature_count(page) == before + 1
    expect(page.locator(".signer-list li").first).to_contain_text("Lucía Fernández")
