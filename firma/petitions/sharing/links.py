"""Sharing a petition: where a signer came from, and the share links.

Every link firma hands out for sharing is the petition's short address tagged with a `source`
("?source=whatsapp"). The petition page carries that tag, and the host of a referring site, into
hidden fields of the signing form, so each signature records which channel brought it.
"""

from dataclasses import dataclass
from html import unescape
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from firma.petitions.markdown import render_markdown
from firma.petitions.models import Partner, Petition, PetitionText
from firma.petitions.rules import partners as partner_rules
from firma.petitions.rules import signer as rules

DESCRIPTION_LENGTH = 200


def own_hosts(request: HttpRequest) -> set[str]:
    return {urlsplit(settings.BASE_URL).hostname or "", request.get_host().partition(":")[0]}


def referrer_host(request: HttpRequest) -> str:
    """The host of the site that sent the person here, or "" for firma itself or none."""
    host = rules.host(urlsplit(request.headers.get("Referer", "")).hostname or "")
    return "" if host in own_hosts(request) else host


def arrival(request: HttpRequest, default_source: str = "", shared: bool = False) -> dict[str, str]:
    """The signing form's hidden `source`, `via` and `referrer`, from the address and the
    Referer.

    `shared`: the page is the same for every reader, so the referrer is left blank for the
    browser's script to fill in from document.referrer (firma/enhance.js).
    """
    source = rules.source(request.GET.get("source", "")) or default_source
    referrer = "" if shared else referrer_host(request)
    via = partner_rules.via(request.GET.get("via", ""))
    return {"source": source, "via": via, "referrer": referrer}


def absolute(path: str) -> str:
    """BASE_URL, never the request's Host header: a forged Host must not end up in links."""
    return settings.BASE_URL + path


def tagged_url(petition: Petition, source: str) -> str:
    """The short address, which sends each reader to their own language, tagged with `source`."""
    path = reverse("petition-redirect", kwargs={"slug": petition.slug})
    return absolute(f"{path}?{urlencode({'source': source})}")


@dataclass(frozen=True)
class ShareLink:
    source: str  # also the CSS class
    label: str
    href: str


def share_links(petition: Petition, text: PetitionText) -> list[ShareLink]:
    """Plain links to each network's own share page: no script of theirs runs on ours."""
    title = text.title

    def url(source: str) -> str:
        return tagged_url(petition, source)

    def query(**params: str) -> str:
        return urlencode(params, quote_via=quote)

    return [
        ShareLink(
            "whatsapp", "WhatsApp", "https://wa.me/?" + query(text=f"{title} {url('whatsapp')}")
        ),
        ShareLink(
            "telegram",
            "Telegram",
            "https://t.me/share/url?" + query(url=url("telegram"), text=title),
        ),
        ShareLink("x", "X", "https://x.com/intent/tweet?" + query(text=title, url=url("x"))),
        ShareLink(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + query(u=url("facebook")),
        ),
        ShareLink(
            "bluesky",
            "Bluesky",
            "https://bsky.app/intent/compose?" + query(text=f"{title} {url('bluesky')}"),
        ),
        ShareLink(
            "email",
            _("E-mail"),
            "mailto:?" + query(subject=title, body=f"{title}\n\n{url('email')}"),
        ),
    ]


def share_meta(petition: Petition, text: PetitionText) -> dict[str, str]:
    """What link previews (Open Graph, Twitter cards) show of the petition."""
    language = get_language()
    # Plain text: the template escapes it once, so the HTML's own entities are undone first.
    body = " ".join(unescape(strip_tags(render_markdown(text.body))).split())
    if petition.outcome:
        outcome = gettext("Outcome: %(outcome)s.") % {"outcome": petition.get_outcome_display()}
        body = f"{outcome} {body}"
    return {
        "title": text.title,
        "description": Truncator(body).chars(DESCRIPTION_LENGTH),
        "url": absolute(petition.get_absolute_url()),
        "image": absolute(reverse("petitions:card", kwargs={"slug": petition.slug})),
        "locale": language.replace("-", "_"),
        "language": text.language,
    }


def partner_url(petition: Petition, partner: Partner) -> str:
    """The partner's own share link: the signatures it brings are counted as its own."""
    path = reverse("petition-redirect", kwargs={"slug": petition.slug})
    return absolute(f"{path}?{urlencode({'via': partner.slug})}")


def embed_snippet(petition: Petition, partner: Partner | None = None) -> str:
    """The two lines an organiser (or a partner) pastes into another site to show the signing
    form there."""
    script = static("firma/embed.js")
    script = script if script.startswith(("http://", "https://")) else absolute(script)
    via = f' data-via="{partner.slug}"' if partner else ""
    return (
        f'<div data-firma-petition="{petition.slug}"{via}></div>\n'
        f'<script src="{script}" async></script>'
    )
