"""Someone sends the form empty: they are told what is missing, where, and can put it right."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fill_in, heading, petition_path

MISSING = {
    "id_full_name": "Please enter your name.",
    "id_organization": "Please enter your organisation, position or occupation.",
    "id_country": "Please choose your country or territory.",
    "id_email": "Please enter your e-mail address.",
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_an_empty_form_is_explained(person, device, javascript):
    ben = person(device, javascript=javascript)
    page = ben.open(petition_path())
    with ben.leaving():
        page.get_by_role("button", name="Sign", exact=True).click()

    # The summary of the errors is read out and has the focus, so the next Tab goes through it.
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("heading")).to_have_text("Please check the form")
    expect(summary.get_by_role("link")).to_have_text(list(MISSING.values()))

    # Each field says what is wrong with it, to the eye and to a screen reader.
    for field_id, error in MISSING.items():
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("aria-describedby", f"{field_id}_error")
        expect(page.locator(f"#{field_id}_error")).to_have_text(error)
        expect(field).to_have_accessible_description(error)
    expect(page.locator("#id_comment")).to_have_accessible_description("")

    # A link in the summary takes the focus to its field.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Full name", exact=True)).to_be_focused()

    fill_in(page, full_name="Ben Okafor", email=f"{uuid.uuid4().hex[:12]}@example.org")
    with ben.leaving():
        page.get_by_role("button", name="Sign", exact=True).click()
    expect(heading(page)).to_have_text("Almost done: check your inbox")
