"""Sharing: the link previews, the share step after signing, and the channel each signer came by."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from firma.petitions.models import Signature
from tests.conftest import make_petition, signing_data, url

pytestmark = pytest.mark.django_db

BASE_URL = "https://petitions.example.org"
CHANNELS = {
    "whatsapp": "wa.me",
    "telegram": "t.me",
    "x": "x.com",
    "facebook": "www.facebook.com",
    "bluesky": "bsky.app",
}


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE_URL


def meta(html: str, key: str) -> str:
    found = re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert len(found) == 1, key
    return unescape(found[0])


def hidden(html: str, name: str) -> str:
    """The value of a hidden field ("" when it has none)."""
    field = re.search(rf'<input type="hidden" name="{name}"(?: value="([^"]*)")?', html)
    assert field, name
    return unescape(field[1] or "")


def share_section(html: str) -> str:
    start = html.index('<section class="share"')
    return html[start : html.index("</section>", start)]


def links(html: str) -> dict[str, str]:
    found = re.findall(r'<a class="share-(\w+)" href="([^"]+)"', share_section(html))
    return {source: unescape(href) for source, href in found}


def shared_url(href: str) -> str:
    """The petition's address inside a network's share link."""
    query = parse_qs(urlsplit(href).query)
    for value in [*query.get("url", []), *query.get("u", []), *query.get("text", [])]:
        found = re.search(r"https://petitions\.example\.org/\S+", value)
        if found:
            return found[0]
    raise AssertionError(href)


# Link previews


def test_every_petition_page_has_open_graph_and_twitter_card_tags(client):
    petition = make_petition(
        texts={"es": ("Agua limpia", "Cada niño necesita **agua** & <b>escuelas</b>.")},
        default_language="es",
    )
    html = client.get(url("petitions:detail", "es", slug=petition.slug)).text
    assert meta(html, "og:title") == "Agua limpia"
    assert meta(html, "og:description") == "Cada niño necesita agua & escuelas."
    assert meta(html, "og:url") == f"{BASE_URL}/es/p/{petition.slug}/"
    assert meta(html, "og:image") == f"{BASE_URL}/es/p/{petition.slug}/card.png"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:image") == meta(html, "og:image")
    # The image is there, at the address given (relative to BASE_URL).
    image = client.get(meta(html, "og:image").removeprefix(BASE_URL))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"


def test_the_description_is_shortened_for_previews(client):
    petition = make_petition(texts={"en": ("Long", "word " * 200)})
    html = client.get(petition.get_absolute_url()).text
    description = meta(html, "og:description")
    assert len(description) <= 200
    assert description.endswith("…")


# The share step


@pytest.mark.parametrize("page", ["petitions:thanks", "petitions:confirmed"])
def test_after_signing_people_are_asked_to_share_with_tagged_plain_links(client, page):
    petition = make_petition()
    html = client.get(url(page, slug=petition.slug)).text
    found = links(html)
    assert set(found) == {*CHANNELS, "email"}
    for source, host in CHANNELS.items():
        assert urlsplit(found[source]).scheme == "https"
        assert urlsplit(found[source]).hostname == host
        assert shared_url(found[source]) == f"{BASE_URL}/p/{petition.slug}/?source={source}"
    mail = urlsplit(found["email"])
    assert mail.scheme == "mailto"
    body = parse_qs(mail.query)["body"][0]
    assert body.endswith(f"{BASE_URL}/p/{petition.slug}/?source=email")
    assert parse_qs(mail.query)["subject"] == ["Clean water for every school"]
    # The link to copy is text anyone can select; the button comes from our own script.
    section = share_section(html)
    link = f"{BASE_URL}/p/{petition.slug}/?source=link"
    assert f'<span class="copyable" data-copy dir="ltr">{link}</span>' in section
    scripts = re.findall(r"<script\b[^>]*>", section)
    assert scripts == ['<script type="module" src="/static/firma/copy.js">']
    # Mastodon asks for the server in a form that needs no script.
    assert re.search(
        r'<form class="share-mastodon" method="get" action="[^"]+/share/mastodon/"', html
    )
    assert 'name="instance"' in section


def test_a_tagged_link_takes_its_source_into_the_signature(client):
    petition = make_petition()
    short = client.get(f"/p/{petition.slug}/?source=whatsapp", HTTP_ACCEPT_LANGUAGE="en")
    assert short.status_code == 302
    page = client.get(short["Location"])
    assert hidden(page.text, "source") == "whatsapp"
    data = signing_data(source=hidden(page.text, "source"), referrer=hidden(page.text, "referrer"))
    client.post(url("petitions:sign", slug=petition.slug), data)
    assert Signature.objects.get().source == "whatsapp"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("Newsletter_2026", "newsletter_2026"),
        ('x"><script>alert(1)</script>', "xscriptalert1script"),
        ("a" * 60, "a" * 40),
        ("", ""),
    ],
)
def test_the_source_is_sanitised_on_the_page_and_when_signing(client, given, kept):
    petition = make_petition()
    page = client.get(petition.get_absolute_url(), {"source": given}).text
    assert hidden(page, "source") == kept
    client.post(url("petitions:sign", slug=petition.slug), signing_data(source=given))
    assert Signature.objects.get().source == kept


def test_the_referring_site_is_recorded_but_not_firma_itself(client):
    petition = make_petition()
    page = client.get(petition.get_absolute_url(), HTTP_REFERER="https://Union.Example/news?id=3")
    assert hidden(page.text, "referrer") == "union.example"
    for own in [f"{BASE_URL}/en/", "http://testserver/en/p/clean-water/"]:
        page = client.get(petition.get_absolute_url(), HTTP_REFERER=own)
        assert hidden(page.text, "referrer") == ""
    client.post(url("petitions:sign", slug=petition.slug), signing_data(referrer="union.example"))
    client.post(
        url("petitions:sign", slug=petition.slug),
        signing_data(email="bo@example.org", referrer="<not a host>"),
    )
    referrers = dict(Signature.objects.values_list("email", "referrer"))
    assert referrers == {"ana@example.org": "union.example", "bo@example.org": ""}


def test_signing_again_before_confirming_takes_the_new_source(client):
    petition = make_petition()
    client.post(url("petitions:sign", slug=petition.slug), signing_data(source="x"))
    client.post(url("petitions:sign", slug=petition.slug), signing_data(source="telegram"))
    assert Signature.objects.get().source == "telegram"


# Mastodon


@pytest.mark.parametrize(
    ("typed", "host"),
    [
        ("mastodon.social", "mastodon.social"),
        (" https://Fosstodon.org/@someone ", "fosstodon.org"),
        ("@me@social.coop", "social.coop"),
        ("mästodon.de", "xn--mstodon-5wa.de"),
    ],
)
def test_mastodon_sends_people_to_their_own_server(client, typed, host):
    petition = make_petition()
    response = client.get(url("petitions:share_mastodon", slug=petition.slug), {"instance": typed})
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.hostname, target.path) == ("https", host, "/share")
    text = parse_qs(target.query)["text"][0]
    assert text == f"Clean water for every school {BASE_URL}/p/{petition.slug}/?source=mastodon"


@pytest.mark.parametrize(
    "typed", ["", "localhost", "127.0.0.1", "evil host.example", "javascript:alert(1)", "-a.org"]
)
def test_mastodon_refuses_what_is_not_a_server_name(client, typed):
    petition = make_petition()
    response = client.get(url("petitions:share_mastodon", slug=petition.slug), {"instance": typed})
    assert response.status_code == 400
    assert "Location" not in response
    assert 'class="error"' in response.text
    assert 'name="instance"' in response.text


def test_a_page_served_from_the_page_cache_leaves_the_referrer_to_the_browser(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    petition = make_petition()
    path = petition.get_absolute_url()
    first = client.get(path, {"source": "x"}, HTTP_REFERER="https://union.example/")
    second = client.get(path, {"source": "x"}, HTTP_REFERER="https://news.example/a")
    third = client.get(path, {"source": "x"})
    # One copy for all three: the page's script fills in document.referrer's host.
    assert first.content == second.content == third.content
    assert hidden(first.text, "referrer") == ""
    assert hidden(first.text, "source") == "x"
