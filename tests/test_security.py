"""Deployment settings, security headers, and pages that load nothing from anywhere else."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.test import RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from firma.core.middleware import PermissionsPolicyMiddleware, allow_framing
from firma.petitions.models import Invalidation, Petition, Signature
from firma.tenancy.models import Organisation
from tests.conftest import make_petition, url
from tests.environment import read, run

DEPLOY_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "x7Qp9mZ2vL5nR8tW1yB4cF6hJ0dG3sA" * 2,
    "ALLOWED_HOSTS": "petitions.example.org",
    "BASE_URL": "https://petitions.example.org",
}


def test_check_deploy_finds_nothing_to_report():
    result = run(DEPLOY_ENV, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert result.stderr == ""


def test_production_defaults():
    values = read(
        DEPLOY_ENV,
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "ADMIN_REQUIRE_2FA",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "ADMIN_REQUIRE_2FA": False,
    }


def test_production_settings_follow_the_environment():
    values = read(
        {
            **DEPLOY_ENV,
            "BEHIND_TLS_PROXY": "1",
            "SECURE_HSTS_SECONDS": "600",
            "SECURE_HSTS_PRELOAD": "0",
            "ADMIN_REQUIRE_2FA": "1",
            "LOGIN_FAILURE_LIMIT": "3",
        },
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        "ADMIN_REQUIRE_2FA",
        "AXES_FAILURE_LIMIT",
    )
    assert values == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_PRELOAD": False,
        "ADMIN_REQUIRE_2FA": True,
        "AXES_FAILURE_LIMIT": 3,
    }


def test_development_keeps_plain_http():
    values = read(
        {"DEBUG": "1"}, "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE"
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
    }


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def assert_strict_csp(response) -> None:
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert policy(response) == {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }


def assert_security_headers(response) -> None:
    assert_strict_csp(response)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"]:
        assert f"{feature}=()" in permissions


@pytest.mark.django_db
def test_the_petition_page_sends_the_security_headers(client):
    petition = make_petition()
    response = client.get(petition.get_absolute_url())
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/api/petitions/clean-water", "/en/p/nothing/"])
def test_other_responses_send_them_too(client, path):
    make_petition()
    assert_security_headers(client.get(path))


class References(HTMLParser):
    """Every URL a page loads or sends to, and every link it shows."""

    LOADS = {"src", "srcset", "action", "formaction", "poster", "data", "background"}

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.links: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name in self.LOADS and value:
                self.loaded.append(value)
            if name.startswith("on") or name == "style":
                self.inline.append(f"<{tag} {name}=…>")
        if "href" in attributes:
            # <link> loads what it points at (a stylesheet, an icon); <a> waits for a click.
            target = (
                self.loaded
                if tag == "link" and attributes.get("rel") != "canonical"
                else self.links
            )
            target.append(attributes["href"])
        if (
            tag == "script"
            and "src" not in attributes
            and attributes.get("type") != "application/json"
        ):
            self.inline.append("<script> without src")
        if tag == "style":
            self.inline.append("<style>")


def references(html: str) -> References:
    parser = References()
    parser.feed(html)
    return parser


def elsewhere(address: str) -> bool:
    parts = urlsplit(address.strip())
    if parts.scheme in ("mailto", "tel", "data"):
        return False
    return bool(parts.netloc or parts.scheme) and parts.netloc != "testserver"


# Plain links a reader may follow; nothing is fetched from them unless clicked.
ALLOWED_LINKS = {"https://www.edpb.europa.eu/about-edpb/about-edpb/members_en"}
# The share step's plain links (no script, no image from them): where a signer may choose to go.
SHARE_HOSTS = {"wa.me", "t.me", "x.com", "www.facebook.com", "bsky.app"}


def allowed_link(address: str) -> bool:
    # The site's own address (the canonical link) is BASE_URL, not the test client's host.
    ours = address.startswith(settings.BASE_URL + "/")
    return ours or address in ALLOWED_LINKS or urlsplit(address).hostname in SHARE_HOSTS


@pytest.fixture
def full_petition(db) -> Petition:
    """A petition showing every part of its page: count, signers, countries, donation."""
    petition = make_petition(
        goal=100,
        donation_holder="Friends of Clean Water",
        donation_iban="DE89370400440532013000",
        challenge=Petition.Challenge.ON,
    )
    for number, country in enumerate(["BR", "FR", "BR"]):
        Signature.objects.create(
            petition=petition,
            full_name=f"Signer {number}",
            email=f"signer{number}@example.org",
            country=country,
            public=True,
            language="en",
            status=Signature.Status.CONFIRMED,
            confirmed_at=timezone.now(),
            ip_hash="d" * 32,
            email_domain="example.org",
        )
    return petition


def public_pages(client, petition: Petition) -> dict[str, str]:
    slug = petition.slug
    pages = {
        path: client.get(path, follow=True).text
        for path in [
            "/",
            url("petitions:index"),
            petition.get_absolute_url(),
            url("petitions:detail", "es", slug=slug),
            url("petitions:thanks", slug=slug),
            url("petitions:confirmed", slug=slug),
            url("petitions:privacy"),
            "/en/no-such-page/",
        ]
    }
    invalid = client.post(url("petitions:sign", slug=slug), {"full_name": ""})
    pages["invalid signing form"] = invalid.text
    return pages


def test_public_pages_load_nothing_from_other_origins(client, full_petition):
    pages = public_pages(client, full_petition)
    petition_page = pages[full_petition.get_absolute_url()]
    assert "Signer 0" in petition_page
    assert "firma/challenge.js" in petition_page  # the challenge widget is on the page too
    for path, html in pages.items():
        found = references(html)
        assert not [address for address in found.loaded if elsewhere(address)], path
        outside = {address for address in found.links if elsewhere(address)}
        assert all(allowed_link(address) for address in outside), (path, outside)
        assert found.inline == [], (path, found.inline)
        # The same, the blunt way: every absolute src points at this site, every href too but
        # the allowed links.
        for address in re.findall(r"""src=["']?((?:https?:)?//[^"'\s>]+)""", html):
            assert not elsewhere(address), (path, address)
        for address in re.findall(r"""href=["']?((?:https?:)?//[^"'\s>]+)""", html):
            assert not elsewhere(address) or allowed_link(address), (path, address)


def test_public_pages_show_no_ip_hash_and_no_email(client, full_petition):
    for path, html in public_pages(client, full_petition).items():
        assert "d" * 32 not in html, path
        assert "signer0@example.org" not in html, path


@pytest.fixture
def everything(db, admin_user, full_petition) -> dict:
    organisation = Organisation.objects.create(name="Union", slug="union")
    full_petition.organisation = organisation
    full_petition.save()
    signature = full_petition.signatures.first()
    Invalidation.objects.create(petition=full_petition, description="example", reason="test")
    TOTPDevice.objects.create(user=admin_user, name="Phone", confirmed=False)
    return {"petition": full_petition, "signature": signature, "organisation": organisation}


def test_the_admin_needs_no_inline_script_or_style(admin_client, client, everything):
    """The admin lives under the same strict policy: none of its pages may need more."""
    petition, signature = everything["petition"].pk, everything["signature"].pk
    organisation = everything["organisation"].pk
    pages = [
        "/admin/",
        "/admin/petitions/",
        "/admin/petitions/petition/",
        "/admin/petitions/petition/add/",
        f"/admin/petitions/petition/{petition}/change/",
        f"/admin/petitions/petition/{petition}/history/",
        f"/admin/petitions/petition/{petition}/delete/",
        f"/admin/petitions/petition/{petition}/invalidate/",
        f"/admin/petitions/petition/{petition}/invalidate/?preview=1&email_domain=example.org",
        "/admin/petitions/signature/",
        "/admin/petitions/signature/?flag=*",
        f"/admin/petitions/signature/{signature}/change/",
        "/admin/organiser/organisation/",
        "/admin/organiser/organisation/add/",
        f"/admin/organiser/organisation/{organisation}/change/",
        "/admin/two-factor/",
        "/admin/otp_totp/totpdevice/",
        "/admin/axes/accessattempt/",
        "/admin/auth/user/",
        "/admin/password_change/",
    ]
    for path in pages:
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)
        found = references(response.text)
        assert found.inline == [], (path, found.inline)
        assert not [address for address in found.loaded if elsewhere(address)], path
    login = client.get("/admin/login/")
    assert references(login.text).inline == []


def test_framing_is_refused_unless_a_view_allows_it():
    """allow_framing is the hook for future embeddable views: it lifts both refusals."""
    request = RequestFactory().get("/embed/")

    def respond(view):
        return CSPMiddleware(XFrameOptionsMiddleware(PermissionsPolicyMiddleware(view)))(request)

    def plain(request):
        return HttpResponse("count")

    @allow_framing()
    def embeddable(request):
        return HttpResponse("count")

    @allow_framing("https://union.example")
    def embeddable_by_one_site(request):
        return HttpResponse("count")

    refused = respond(plain)
    assert refused["X-Frame-Options"] == "DENY"
    assert policy(refused)["frame-ancestors"] == ["'none'"]

    allowed = respond(embeddable)
    assert "X-Frame-Options" not in allowed
    assert policy(allowed)["frame-ancestors"] == ["https:"]
    assert policy(allowed)["script-src"] == ["'self'"]  # the rest of the policy stays

    one_site = respond(embeddable_by_one_site)
    assert policy(one_site)["frame-ancestors"] == ["https://union.example"]
    assert embeddable.__name__ == "embeddable"
