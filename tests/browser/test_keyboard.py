"""Someone who uses no mouse (a keyboard, a switch, a screen reader) signs and confirms."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import heading, link_in, petition_path, signature_count


def focused(page: Page) -> str:
    """What has the focus, as a person sees it: its label or text."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const label = element.labels && element.labels[0];
            return (label ? label.textContent : element.textContent).trim().replace(/\\s+/g, " ");
        }"""
    )


def focus_ring(page: Page) -> str:
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return `${style.outlineStyle} ${style.outlineWidth}`;
        }"""
    )


def tab_to(page: Page, name: str, most: int = 40) -> None:
    """Press Tab until `name` has the focus, as a keyboard user would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if focused(page) == name:
            assert focus_ring(page) != "none 0px", f"no visible focus on {name}"
            return
    pytest.fail(f"{most} presses of Tab never reached {name!r}")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_signing_with_the_keyboard_alone(person, live, device):
    kim = person(device)
    email = f"{uuid.uuid4().hex[:12]}@example.org"
    page = kim.open(petition_path())
    before = signature_count(page)

    page.keyboard.press("Tab")
    assert focused(page) == "Skip to content"
    expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()

    tab_to(page, "Full name")
    page.keyboard.type("Kim Park")
    page.keyboard.press("Tab")
    assert focused(page) == "Organisation / position / occupation"
    page.keyboard.type("Dockworkers' Union")
    page.keyboard.press("Tab")
    assert focused(page) == "Country / territory"
    page.keyboard.type("Kenya")
    page.keyboard.press("Tab")
    assert focused(page) == "E-mail"
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert focused(page) == "Comment (optional)"
    page.keyboard.press("Tab")
    assert focused(page).startswith("Show my name")
    page.keyboard.press("Space")
    expect(page.locator("#id_public")).to_be_checked()
    tab_to(page, "Sign")
    with kim.leaving():
        page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Almost done: check your inbox")

    page = kim.open(link_in(live.mail_to(email), "confirm"))
    expect(page.locator(".signature-details")).to_contain_text("Kenya")
    tab_to(page, "Confirm my signature")
    with kim.leaving():
        page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Thank you: your signature counts")

    tab_to(page, "Back to the petition")
    with kim.leaving():
        page.keyboard.press("Enter")
    assert signature_count(page) == before + 1
    expect(page.locator(".signer-list li").first).to_contain_text("Kim Park")
