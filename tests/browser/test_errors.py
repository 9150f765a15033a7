"""Someone sends the form empty: they are told what is missing, where, and can put it right.

Without JavaScript the server answers with the form and its errors; with it, the page finds the
same errors before sending and shows them the same way, in the same words.
"""

import uuid
from contextlib import nullcontext

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fill_in, heading, petition_path, sign_button, translated

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
    requests = []
    page.on("request", lambda request: requests.append(request.method))
    # With JavaScript, the page answers at once; without, the server does.
    with ben.leaving() if not javascript else nullcontext():
        sign_button(page).click()
    if javascript:
        ben.arrived("errors")
        assert "POST" not in requests

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
        sign_button(page).click()
    expect(heading(page)).to_have_text("Almost done: check your inbox")


def test_fields_are_checked_as_they_are_left_in_the_pages_language(person):
    sofia = person("phone", locale="es-ES")
    page = sofia.open(petition_path("es"))
    email = page.get_by_label(translated("es", "E-mail"), exact=True)
    wrong = translated("es", "Please enter a valid e-mail address, like name@example.org.")
    assert wrong != "Please enter a valid e-mail address, like name@example.org."

    email.fill("sofia.example.org")
    expect(email).to_have_accessible_description("")  # not while typing
    email.press("Tab")
    expect(email).to_have_accessible_description(wrong)
    expect(page.locator("#id_email_error")).to_have_text(wrong)
    sofia.arrived("email-error")

    email.fill("sofia@example.org")  # put right: the message goes as soon as it is
    expect(email).to_have_accessible_description("")
    expect(page.locator("#id_email_error")).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)
