"""A petition launched with partners: the page and its consent boxes pass axe-core, and a
signer brought by a partner's link ticks its box, without JavaScript too."""

import re
import sqlite3
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fill_in, link_in, translated
from tests.conftest import free_port

COALITION = """+++
slug = "coalition"
title = "A coalition for clean rivers"
language = "en"
status = "open"

[[partners]]
name = "Friends of the Earth"
website = "https://foe.example"
privacy_url = "https://foe.example/privacy"
opt_in = true

[[partners]]
name = "River Keepers"
privacy_url = "https://rivers.example/privacy"
opt_in = true
+++
Rivers are for everyone.
"""


@pytest.fixture
def coalition(live, tmp_path):
    """The coalition's petition on the live firma, while the test runs: the other tests find
    the demo petition alone, as they expect."""
    path = tmp_path / "coalition.md"
    path.write_text(COALITION, encoding="utf-8")
    live.manage("import_petition", str(path))
    yield "coalition"
    live.manage(
        "shell",
        "-c",
        "from firma.petitions.models import Petition; "
        "Petition.objects.filter(slug='coalition').delete()",
    )


def signature_of(live, email: str) -> list[str]:
    """The stored signature's status, the partner that brought it, and its consents."""
    output = live.manage(
        "shell",
        "-c",
        "from firma.petitions.models import Signature as S; "
        f"s = S.objects.get(email='{email}'); "
        "print(s.status, s.partner.slug, "
        "*[r.partner.slug for r in s.consents.filter(choice='partner')"
        ".latest_per_choice().values() if r.given])",
    )
    return output.strip().splitlines()[-1].split()


def press(person, language: str, button: str) -> None:
    with person.leaving():
        person.page.get_by_role("button", name=translated(language, button), exact=True).click()


@pytest.mark.parametrize(("language", "javascript"), [("en", True), ("ar", True), ("es", False)])
def test_a_partners_signer_ticks_its_box(person, live, coalition, language, javascript):
    # axe-core runs in the page, so only with JavaScript.
    zoe = person("phone", javascript=javascript, check_accessibility=javascript)
    email = f"{uuid.uuid4().hex[:12]}@example.org"

    page = zoe.open(f"/{language}/p/coalition/?via=friends-of-the-earth")
    expect(page.locator(".partners")).to_contain_text("Friends of the Earth")
    expect(page.locator(".partners")).to_contain_text("River Keepers")
    fill_in(page, language, full_name="Zoë Partner", email=email)
    wording = translated(language, "Keep me informed about the campaigns of %(name)s.")
    box = page.get_by_label(wording % {"name": "Friends of the Earth"}, exact=True)
    expect(box).not_to_be_checked()
    box.check()
    press(zoe, language, "Sign")
    message = live.mail_to(email)
    zoe.open(link_in(message, "confirm"))
    press(zoe, language, "Confirm my signature")
    zoe.open(link_in(message, "my") + "partners/")  # where the signer can take it back
    expect(page.locator("main")).to_contain_text("Friends of the Earth")

    assert signature_of(live, email) == [
        "confirmed",
        "friends-of-the-earth",
        "friends-of-the-earth",
    ]
    assert zoe.violations == []


@pytest.fixture
def partner_site(live, coalition):
    """A partner's own site, with nothing of firma's but the partner's embed code."""
    with sqlite3.connect(live.logs[0].parent / "firma.sqlite3") as connection:
        connection.execute(
            "UPDATE petitions_petition SET allow_embedding = 1 WHERE slug = 'coalition'"
        )
    snippet = (
        '<div data-firma-petition="coalition" data-lang="en" data-via="river-keepers"></div>'
        f'<script src="{live.base}/static/firma/embed.js" async></script>'
    )
    page = (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>River Keepers</title>'
        f"<main><h1>River Keepers</h1>{snippet}</main></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_a_partners_embed_code_brings_its_signatures(person, live, partner_site):
    visitor = person("desktop")
    page = visitor.open(partner_site)
    expect(page.locator("iframe")).to_have_attribute("src", re.compile(r"via=river-keepers"))
    frame = page.frame_locator("iframe")
    email = f"{uuid.uuid4().hex[:12]}@example.org"
    fill_in(frame, full_name="Rita River", email=email)
    frame.get_by_label("Keep me informed about the campaigns of River Keepers.").check()
    frame.get_by_role("button", name="Sign", exact=True).click()
    expect(frame.get_by_role("heading", level=1)).to_have_text("Almost done: check your inbox")
    visitor.open(link_in(live.mail_to(email), "confirm"))
    press(visitor, "en", "Confirm my signature")
    assert signature_of(live, email) == ["confirmed", "river-keepers", "river-keepers"]
