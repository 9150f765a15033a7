"""The pages of "this wasn't me" and of a petition's changes pass axe-core, left to right and
right to left."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    fill_in,
    heading,
    link_in,
    petition_path,
    sign_button,
    translated,
)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_not_me_and_changes_pages_pass_axe(person, live, language):
    ines = person("phone", check_accessibility=True)
    email = f"{uuid.uuid4().hex[:12]}@example.org"

    page = ines.open(petition_path(language))
    fill_in(page, language, full_name="Inês Ferreira", email=email)
    with ines.leaving():
        sign_button(page, language).click()
    message = live.mail_to(email)

    ines.open(link_in(message, "not-me"))  # the page asks; opening it changed nothing
    expect(heading(page)).to_have_text(translated(language, "This wasn't me"))
    button = translated(language, "Delete it and send me nothing more")
    with ines.leaving():
        page.get_by_role("button", name=button, exact=True).click()
    expect(heading(page)).to_have_text(translated(language, "The signature has been deleted"))
    ines.arrived("deleted")

    ines.open(petition_path(language) + "changes/")
    expect(heading(page)).to_have_text(translated(language, "Changes to this petition"))

    assert ines.violations == []
