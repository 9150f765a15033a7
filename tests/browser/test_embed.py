"""Another organisation's website embeds the petition with the two-line snippet, and a person
signs inside the frame and confirms from the e-mail."""

import re
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PETITION, fill_in, link_in, wait_until
from tests.conftest import free_port


@pytest.fixture
def host_site(live) -> Iterator[str]:
    """A page on another site (localhost, not 127.0.0.1: another site, so no SameSite cookie of
    firma's reaches the frame) with nothing of firma's but the snippet."""
    database = live.logs[0].parent / "firma.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE petitions_petition SET allow_embedding = 1 WHERE slug = ?", [PETITION]
        )
    snippet = (
        f'<div data-firma-petition="{PETITION}" data-lang="en"></div>\n'
        f'<script src="{live.base}/static/firma/embed.js" async></script>'
    )
    page = (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Union news</title>'
        f"<main><h1>Union news</h1><p>Support our colleagues:</p>{snippet}</main></html>"
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
    yield f"http://localhost:{server.server_port}/news/"
    server.shutdown()
    server.server_close()


def test_signing_inside_a_frame_on_another_site(person, live, host_site):
    visitor = person("desktop")
    page = visitor.open(host_site)
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", level=1)).to_be_visible()
    title = frame.get_by_role("heading", level=1).inner_text()
    expect(page.locator("iframe")).to_have_attribute("title", title)
    # The frame grows to its content, told by the page inside it.
    expect(page.locator("iframe")).to_have_attribute("style", re.compile(r"(^|; )height: \d+px"))

    email = f"{uuid.uuid4().hex[:12]}@example.org"
    fill_in(frame, full_name="Nadia Haddad in a frame", email=email)
    frame.get_by_role("button", name="Sign", exact=True).click()
    expect(frame.get_by_role("heading", level=1)).to_have_text("Almost done: check your inbox")
    expect(frame.locator(".share-whatsapp")).to_be_visible()
    # The thank-you is shorter than the form: the frame shrinks to it, leaving no gap.
    inside = page.frames[1]

    def gap() -> float:
        content = inside.evaluate("document.documentElement.getBoundingClientRect().height")
        return abs(inside.evaluate("innerHeight") - content)

    # Images and fonts may still change the content's height: the frame follows each change.
    assert wait_until(lambda: gap() < 2), gap()
    assert page.url == host_site  # the person never left the other site

    confirm = visitor.open(link_in(live.mail_to(email), "confirm"))
    with visitor.leaving():
        confirm.get_by_role("button", name="Confirm my signature").click()
    expect(confirm.get_by_role("heading", level=1)).to_have_text("Thank you: your signature counts")
