"""A person signs the petition in a real browser and confirms from the e-mail they receive."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    Person,
    fill_in,
    heading,
    link_in,
    petition_path,
    signature_count,
)


def sign_and_confirm(person: Person, live, full_name: str) -> None:
    """Sign with the form, confirm from the e-mail, and find oneself counted and listed."""
    email = f"{uuid.uuid4().hex[:12]}@example.org"
    page = person.open(petition_path())
    before = signature_count(page)

    fill_in(page, full_name=full_name, email=email)
    with person.leaving():
        page.get_by_role("button", name="Sign", exact=True).click()
    expect(heading(page)).to_have_text("Almost done: check your inbox")

    page = person.open(link_in(live.mail_to(email), "confirm"))
    expect(heading(page)).to_have_text("Confirm your signature")
    expect(page.locator(".signature-details")).to_contain_text(full_name)
    with person.leaving():
        page.get_by_role("button", name="Confirm my signature").click()
    expect(heading(page)).to_have_text("Thank you: your signature counts")

    with person.leaving():
        page.get_by_role("link", name="Back to the petition").click()
    assert signature_count(page) == before + 1
    expect(page.locator(".signer-list li").first).to_contain_text(full_name)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_signing_and_confirming(person, live, device):
    sign_and_confirm(person(device), live, f"Amaru Quispe on a {device}")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_signing_and_confirming_without_javascript(person, live, device):
    sign_and_confirm(person(device, javascript=False), live, f"Chiara Rossi on a {device}, no JS")
