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


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_consent_records_and_the_organisers_news_page_pass_axe(person, live, language):
    rui = person("phone", check_accessibility=True)
    email = f"{uuid.uuid4().hex[:12]}@example.org"

    page = rui.open(petition_path(language))
    fill_in(page, language, full_name="Rui Costa", email=email)
    page.locator("input[name=organisation_news]").check()
    with rui.leaving():
        sign_button(page, language).click()
    mine = link_in(live.mail_to(email), "my")

    rui.open(mine)  # the table of consent records
    expect(page.locator(".consents tbody tr")).to_have_count(4)
    rui.open(mine + "organisation-news/")
    expect(heading(page)).to_have_text(translated(language, "News from the organisers"))
    button = translated(language, "Stop sending me the organisers' other news")
    with rui.leaving():
        page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".consents tbody tr")).to_have_count(5)
    rui.arrived("withdrawn")

    assert rui.violations == []
