"""The embeddable widget: framing rules, signing from inside another site's frame, the snippet."""

import http.client
import re
import sqlite3
import threading
import urllib.parse
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from firma.petitions.models import Signature
from tests.conftest import (
    Mailbox,
    SMTPServer,
    confirmation_path,
    free_port,
    make_petition,
    run_worker,
    signing_data,
    url,
)
from tests.servers import firma_processes

pytestmark = pytest.mark.django_db


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]+)", policy)[1].strip()


def form_fields(html: str) -> dict[str, str]:
    """The hidden fields of the page's signing form, as a browser would send them."""
    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)"(?: value="([^"]*)")?', html):
        fields[name] = unescape(value)
    return fields


def form_action(html: str) -> str:
    return unescape(re.search(r'<form method="post" action="([^"]+)"', html)[1])


@pytest.fixture
def cookieless():
    """A browser inside a third-party frame: it sends no cookie, and CSRF checks are on."""
    return Client(enforce_csrf_checks=True)


# Framing


def test_an_embeddable_petition_may_be_framed_by_any_site(client):
    petition = make_petition(allow_embedding=True, goal=100)
    response = client.get(url("petitions:embed", slug=petition.slug))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert frame_ancestors(response) == "*"
    html = response.text
    assert "<h1>Clean water for every school</h1>" in html
    assert "<progress" in html
    for name in ["full_name", "organization", "country", "email", "public"]:
        assert f'name="{name}"' in html
    assert form_action(html) == url("petitions:embed_sign", slug=petition.slug)
    assert "csrfmiddlewaretoken" not in html
    assert "Set-Cookie" not in response and not response.cookies


def test_other_petitions_and_the_rest_of_the_site_keep_refusing_frames(client):
    closed_to_frames = make_petition()
    open_to_frames = make_petition(slug="framed", allow_embedding=True)
    for response in [
        client.get(url("petitions:embed", slug=closed_to_frames.slug)),
        client.get(url("petitions:embed_thanks", slug=closed_to_frames.slug)),
        client.get(open_to_frames.get_absolute_url()),
        client.get(url("petitions:thanks", slug=open_to_frames.slug)),
    ]:
        assert response["X-Frame-Options"] == "DENY"
        assert frame_ancestors(response) == "'none'"


# Signing inside the frame


@pytest.mark.django_db
def test_signing_in_the_frame_needs_no_cookie_and_sends_the_confirmation(cookieless, mailbox):
    petition = make_petition(allow_embedding=True)
    page = cookieless.get(
        url("petitions:embed", slug=petition.slug),
        HTTP_REFERER="https://union.example/campaign",
    ).text
    data = {**form_fields(page), **signing_data()}
    # The frame holds a page of firma: its form posts with firma's origin, whatever the host page.
    response = cookieless.post(form_action(page), data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302
    assert response["Location"] == url("petitions:embed_thanks", slug=petition.slug)

    signature = Signature.objects.get()
    assert (signature.source, signature.referrer) == ("embed", "union.example")
    assert signature.status == Signature.Status.PENDING
    run_worker()
    [message] = mailbox.to("ana@example.org")
    assert confirmation_path(message).startswith(f"/en/p/{petition.slug}/confirm/")

    thanks = cookieless.get(response["Location"])
    assert "Almost done: check your inbox" in thanks.text
    assert 'class="share-whatsapp"' in thanks.text
    assert frame_ancestors(thanks) == "*"


def test_a_source_given_to_the_frame_wins_over_embed(cookieless):
    petition = make_petition(allow_embedding=True)
    page = cookieless.get(url("petitions:embed", slug=petition.slug), {"source": "Newsletter"})
    assert form_fields(page.text)["source"] == "newsletter"
    cookieless.post(form_action(page.text), {**form_fields(page.text), **signing_data()})
    assert Signature.objects.get().source == "newsletter"


@pytest.mark.parametrize(
    "token",
    [None, "", "forged", "other petition"],
)
def test_a_post_without_a_form_firma_rendered_for_this_petition_is_refused(cookieless, token):
    petition = make_petition(allow_embedding=True)
    other = make_petition(slug="other", allow_embedding=True)
    fields = form_fields(cookieless.get(url("petitions:embed", slug=petition.slug)).text)
    if token == "other petition":
        fields["embed_token"] = form_fields(
            cookieless.get(url("petitions:embed", slug=other.slug)).text
        )["embed_token"]
    elif token is None:
        del fields["embed_token"]
    else:
        fields["embed_token"] = token
    response = cookieless.post(
        url("petitions:embed_sign", slug=petition.slug), {**fields, **signing_data()}
    )
    assert response.status_code == 400
    assert "This form was open for too long" in response.text
    # What was typed stays, with a fresh token to send it again.
    assert 'value="Ana Souza"' in response.text
    fresh = form_fields(response.text)["embed_token"]
    assert fresh and fresh != fields.get("embed_token")
    assert not Signature.objects.exists()
    again = cookieless.post(
        url("petitions:embed_sign", slug=petition.slug),
        {**fields, "embed_token": fresh, **signing_data()},
    )
    assert again.status_code == 302
    assert Signature.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_REFERER": "https://evil.example/form.html"},
    ],
)
@pytest.mark.parametrize("endpoint", ["petitions:sign", "petitions:embed_sign"])
def test_a_post_another_site_sent_is_refused_and_stores_nothing(cookieless, headers, endpoint):
    petition = make_petition(allow_embedding=True)
    response = cookieless.post(url(endpoint, slug=petition.slug), signing_data(), **headers)
    assert response.status_code == 403
    assert "sent from another website" in response.text
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_REFERER": "http://testserver/en/p/clean-water/"},
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "null"},  # a no-referrer page
        {},  # no browser page sent it: a script could post the same fields anyway
    ],
)
def test_a_post_from_this_site_signs_without_a_token(cookieless, headers):
    petition = make_petition()
    response = cookieless.post(url("petitions:sign", slug=petition.slug), signing_data(), **headers)
    assert response.status_code == 302
    assert Signature.objects.count() == 1


def test_the_frame_shows_form_errors_and_a_closed_petition(cookieless):
    petition = make_petition(allow_embedding=True)
    page = cookieless.get(url("petitions:embed", slug=petition.slug)).text
    response = cookieless.post(form_action(page), {**form_fields(page), **signing_data(email="")})
    assert response.status_code == 400
    assert "Please enter your e-mail address." in response.text
    assert frame_ancestors(response) == "*"

    petition.status = "closed"
    petition.save()
    closed = cookieless.get(url("petitions:embed", slug=petition.slug)).text
    assert "no longer takes signatures" in closed
    response = cookieless.post(form_action(page), {**form_fields(page), **signing_data()})
    assert response.status_code == 409
    assert not Signature.objects.exists()


def test_drafts_cannot_be_signed_through_the_frame(cookieless):
    petition = make_petition(allow_embedding=True, status="draft")
    response = cookieless.post(url("petitions:embed_sign", slug=petition.slug), signing_data())
    assert response.status_code == 404


# The snippet


def test_the_organiser_gets_the_two_line_snippet(admin_client, settings):
    settings.BASE_URL = "https://petitions.example.org"
    petition = make_petition()
    page = admin_client.get(f"/admin/petitions/petition/{petition.pk}/change/").text
    snippet = unescape(re.search(r'<pre class="embed-snippet">(.*?)</pre>', page, re.S)[1])
    assert snippet == (
        '<div data-firma-petition="clean-water"></div>\n'
        '<script src="https://petitions.example.org/static/firma/embed.js" async></script>'
    )


def test_the_script_checks_where_messages_come_from():
    script = Path(finders.find("firma/embed.js")).read_text(encoding="utf-8")
    assert "event.origin !== origin" in script
    assert "event.source" in script
    assert "data-firma-petition" in script
    assert "postMessage" in script


# Across origins, over HTTP, with firma's real processes


class HostSite(BaseHTTPRequestHandler):
    """Another organisation's site, on another port: one page with the snippet."""

    snippet = ""

    def do_GET(self):
        body = f"<!doctype html><title>Union news</title>{self.snippet}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def fetch(base: str, path: str, method="GET", data=None, headers=None):
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    body = urllib.parse.urlencode(data) if data is not None else None
    headers = dict(headers or {})
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read().decode()
    connection.close()
    return result


@pytest.mark.processes
def test_a_page_on_another_origin_embeds_the_petition_and_signs_through_it(tmp_path):
    smtp = SMTPServer(Mailbox(), free_port())
    smtp.start()
    env = {"EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}", "SIGNING_CHALLENGE": "never"}
    live = tmp_path / "live"
    live.mkdir()
    try:
        with firma_processes(live, env, worker=True) as ([firma], _logs):
            with sqlite3.connect(live / "firma.sqlite3") as database:
                database.execute("UPDATE petitions_petition SET allow_embedding = 1")
            slug = "drop-the-charges"
            HostSite.snippet = (
                f'<div data-firma-petition="{slug}"></div>'
                f'<script src="{firma}/static/firma/embed.js" async></script>'
            )
            host = ThreadingHTTPServer(("127.0.0.1", free_port()), HostSite)
            threading.Thread(
                target=host.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            ).start()
            site = f"http://127.0.0.1:{host.server_port}"
            try:
                status, _headers, page = fetch(site, "/news/")
                assert status == 200
                script = re.search(r'<script src="([^"]+)"', page)[1]
                assert fetch(firma, urllib.parse.urlsplit(script).path)[0] == 200
                # What embed.js asks for: the short address, answered in the reader's language.
                frame = f"/p/{slug}/embed/?source=embed"
                status, headers, _ = fetch(
                    firma, frame, headers={"Accept-Language": "es", "Referer": f"{site}/"}
                )
                assert status == 302
                frame = headers["Location"]
                assert frame.startswith(f"/es/p/{slug}/embed/")
                status, headers, html = fetch(firma, frame, headers={"Referer": f"{site}/"})
                assert status == 200
                assert "X-Frame-Options" not in headers
                assert "frame-ancestors *" in headers["Content-Security-Policy"]
                assert "Set-Cookie" not in headers

                data = {
                    **form_fields(html),
                    **signing_data(email="eva@example.org", country="AR"),
                }
                status, headers, _ = fetch(
                    firma,
                    form_action(html),
                    "POST",
                    data,
                    headers={"Origin": firma, "Referer": f"{firma}{frame}"},
                )
                assert status == 302, _
                assert headers["Location"] == f"/es/p/{slug}/embed/thanks/"
                deadline_checks = 400
                while not smtp.mailbox.to("eva@example.org") and deadline_checks:
                    threading.Event().wait(0.05)
                    deadline_checks -= 1
                [message] = smtp.mailbox.to("eva@example.org")
                assert "/es/p/drop-the-charges/confirm/" in confirmation_path(message)
            finally:
                host.shutdown()
                host.server_close()
            with sqlite3.connect(live / "firma.sqlite3") as database:
                row = database.execute(
                    "SELECT source, referrer FROM petitions_signature WHERE email = ?",
                    ["eva@example.org"],
                ).fetchone()
            assert row == ("embed", "")  # loopback addresses are no site names to credit
    finally:
        smtp.stop()
