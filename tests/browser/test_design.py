"""The petition page as people get it: light to load, the count and the form within reach, the
count following the signatures live without moving anything, dark and print versions."""

import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import (
    DEVICES,
    LANGUAGES,
    axe,
    fill_in,
    heading,
    link_in,
    petition_path,
    signature_count,
    translated,
    wait_until,
)

# The first load of the petition page: the page, its styles, scripts and fonts, compressed.
BUDGET = 60 * 1024
# Adds up the layout shifts of the page, as the Cumulative Layout Shift metric does.
RECORD_SHIFTS = """
window.layoutShifts = 0;
new PerformanceObserver((entries) => {
  for (const entry of entries.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShifts += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture
def visit(chromium: Browser, production_firma: str) -> Iterator:
    """`visit(device, **options)`: a new browser context on the production set-up of firma."""
    contexts: list[BrowserContext] = []

    def new_context(device: str, **options) -> BrowserContext:
        context = chromium.new_context(base_url=production_firma, **DEVICES[device], **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield new_context
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_petition_page_is_light_and_talks_to_nobody_else(visit, production_firma, language):
    page = visit("phone").new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(petition_path(language), wait_until="networkidle")

    origin = urlsplit(production_firma)
    assert {urlsplit(response.url)[:2] for response in responses} == {origin[:2]}
    kinds = {response.request.resource_type for response in responses}
    assert {"document", "stylesheet", "script", "font"} <= kinds
    for response in responses:
        if response.request.resource_type in ("document", "stylesheet", "script"):
            assert response.header_value("content-encoding") in ("gzip", "br"), response.url
    # What crossed the network, compressed (the HTTP headers, some 1 KB a response, aside).
    sizes = [response.request.sizes() for response in responses]
    total = sum(size["responseBodySize"] for size in sizes)
    assert total <= BUDGET, "\n".join(
        f"{size['responseBodySize']:>7} {response.url}"
        for size, response in zip(sizes, responses, strict=True)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_not_found_page_passes_axe(visit, language):
    page = visit("phone", bypass_csp=True).new_page()
    response = page.goto(f"/{language}/p/no-such-petition/")
    assert response.status == 404
    expect(heading(page)).to_have_text(translated(language, "Page not found"))
    assert axe(page) == []


def test_on_a_phone_the_count_shows_at_once_and_the_form_is_one_tap_away(person):
    mia = person("phone")
    page = mia.open(petition_path())
    expect(page.locator(".count .number")).to_be_in_viewport()
    expect(page.locator(".count progress")).to_be_in_viewport()
    # The link to the form waits at the foot of the screen while the text is read...
    jump = page.get_by_role("link", name="Sign the petition")
    expect(jump).to_be_in_viewport()
    page.mouse.wheel(0, 600)
    expect(jump).to_be_in_viewport()
    jump.click()
    expect(page.get_by_role("heading", name="Sign the petition")).to_be_in_viewport()
    expect(page.get_by_label("Full name", exact=True)).to_be_in_viewport()
    # ...and never covers the form.
    page.get_by_role("button", name="Sign", exact=True).scroll_into_view_if_needed()
    expect(jump).not_to_be_in_viewport()


def test_on_a_desktop_the_form_is_beside_the_text(person):
    ola = person("desktop")
    page = ola.open(petition_path())
    form = page.locator(".signing").bounding_box()
    text = page.locator(".appeal").bounding_box()
    assert form["x"] > text["x"] + text["width"]
    expect(page.get_by_label("Full name", exact=True)).to_be_in_viewport()
    expect(page.get_by_role("link", name="Sign the petition")).to_be_hidden()
    # Lines of the appeal stay short enough to read: about 65 characters.
    characters = page.evaluate(
        """() => {
            const paragraph = document.querySelector('.appeal .body p:nth-of-type(2)');
            const lines = paragraph.getClientRects()[0].height
                / parseFloat(getComputedStyle(paragraph).lineHeight);
            return paragraph.textContent.length / Math.round(lines);
        }"""
    )
    assert 50 <= characters <= 80


def confirmed_signature(person, live) -> None:
    """Someone else signs and confirms, in a browser without JavaScript."""
    email = f"{uuid.uuid4().hex[:12]}@example.org"
    other = person("desktop", javascript=False)
    page = other.open(petition_path())
    fill_in(page, full_name="Noor Aziz", email=email)
    with other.leaving():
        page.get_by_role("button", name="Sign", exact=True).click()
    other.open(link_in(live.mail_to(email), "confirm"))
    with other.leaving():
        page.get_by_role("button", name="Confirm my signature").click()


def hide(page: Page, hidden: bool) -> None:
    """The person switches to another tab (or back)."""
    page.evaluate(
        """(hidden) => {
            Object.defineProperty(document, 'hidden', {value: hidden, configurable: true});
            document.dispatchEvent(new Event('visibilitychange'));
        }""",
        hidden,
    )


def test_the_count_follows_the_signatures_live_without_moving_anything(person, live):
    eva = person("phone")
    page: Page = eva.page
    page.add_init_script(RECORD_SHIFTS)
    page.clock.install()
    asked: list[str] = []
    page.on("request", lambda request: "/api/" in request.url and asked.append(request.url))
    eva.open(petition_path())
    before = signature_count(page)

    # The API is asked after 10 seconds, then 20, 40...
    page.clock.run_for(9_000)
    assert asked == []
    with page.expect_response(lambda response: "/api/" in response.url):
        page.clock.run_for(1_000)
    page.clock.run_for(19_000)
    assert len(asked) == 1
    with page.expect_response(lambda response: "/api/" in response.url):
        page.clock.run_for(1_000)

    # Not while the page is hidden; at once, then as before, when it is seen again.
    hide(page, True)
    page.clock.run_for(600_000)
    assert len(asked) == 2
    hide(page, False)

    confirmed_signature(person, live)
    # The count is cached for a moment: wait until the API has it.
    assert wait_until(lambda: page.request.get(asked[0]).json()["signature_count"] == before + 1)
    with page.expect_response(lambda response: "/api/" in response.url):
        page.clock.run_for(10_000)
    expect(page.locator(".count .number")).to_have_text(str(before + 1))
    expect(page.locator(".count .unit")).to_have_text("signature" if before == 0 else "signatures")
    eva.arrived("updated")
    assert page.evaluate("window.layoutShifts") == 0


@pytest.mark.parametrize("colours", ["light", "dark"])
def test_colours_follow_the_system(person, colours):
    page = person("desktop", color_scheme=colours).open(petition_path())
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    red, green, blue = (int(part) for part in background[4:-1].split(","))
    brightness = (red + green + blue) / 3
    assert brightness > 230 if colours == "light" else brightness < 40


def test_printing_gives_the_petition_text_alone(person):
    page: Page = person("desktop").open(petition_path())
    page.emulate_media(media="print")
    expect(heading(page)).to_be_visible()
    expect(page.locator(".appeal .body")).to_be_visible()
    for part in (".signing", ".languages", ".site-footer", ".donation", ".signers"):
        expect(page.locator(part)).to_be_hidden()
