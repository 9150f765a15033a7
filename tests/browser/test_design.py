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


# A coalition's petition: two partners with logos (drawn like real ones, at the largest size
# firma keeps) and a block of endorsing organisations from several countries.
COALITION = """+++
slug = "coalition-weight"
title = "Clean rivers for everyone"
language = "en"
status = "open"

[[partners]]
name = "Friends of the Rivers"
website = "https://rivers.example"
privacy_url = "https://rivers.example/privacy"
opt_in = true

[[partners]]
name = "Sea Keepers International"
website = "https://seas.example"
privacy_url = "https://seas.example/privacy"
opt_in = true
+++
Our rivers carry what we throw in them to the sea. We ask the ministry to stop the discharges
upstream, publish the measurements every month and restore the banks with the people who live
along them.
"""
DECORATE = """
import io
from PIL import Image, ImageDraw
from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from firma.petitions.partners.forms import set_logo
from firma.petitions.rules import partners as rules
from django.utils import timezone

def drawn(colour, words):
    image = Image.new("RGB", (1200, 600), "white")
    draw = ImageDraw.Draw(image)
    for step in range(0, 600, 6):
        draw.line([(0, step), (1200, 600 - step)], fill=(colour[0], step % 255, colour[2]))
    draw.ellipse([60, 60, 540, 540], fill=colour, outline="black", width=12)
    draw.text((600, 260), words, fill="black", font_size=90)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()

petition = Petition.objects.get(slug="coalition-weight")
for partner, colour in zip(petition.partners.all(), [(20, 90, 200), (0, 150, 90)]):
    set_logo(partner, rules.logo(drawn(colour, partner.name)))
    partner.save()
now = timezone.now()
countries = ["FR", "ES", "PT", "AR", "MA", "BR", "DE", "IT"]
Signature.objects.bulk_create(
    Signature(
        petition=petition,
        full_name=f"Signer {number}",
        email=f"org{number}@example.org",
        mailbox=f"org{number}@example.org",
        country=countries[number % len(countries)],
        kind="organisation",
        organisation_name=f"Union of Water Workers, section {number}",
        organisation_position="Secretary",
        organisation_website=f"https://union{number}.example",
        verification="verified",
        status="confirmed",
        confirmed_at=now,
    )
    for number in range(40)
)
counting.reconcile()
"""


def test_a_coalitions_petition_page_is_as_light(visit, production_firma, tmp_path):
    """Two partners with logos and forty endorsing organisations: the same budget."""
    petition_file = tmp_path / "coalition.md"
    petition_file.write_text(COALITION, encoding="utf-8")
    production_firma.manage("import_petition", str(petition_file))
    production_firma.manage("shell", "-c", DECORATE)

    page = visit("phone").new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto("/en/p/coalition-weight/", wait_until="networkidle")
    page.locator(".partner-list img").last.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".partner-list img")).to_have_count(2)
    expect(page.locator(".endorsement-list li")).to_have_count(40)

    images = [r for r in responses if r.request.resource_type == "image"]
    assert len(images) == 2, [r.url for r in responses]
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
