"""Cross-site forgery, told by the browser instead of a per-reader token.

The petition page is the same bytes for every reader, so that any cache may keep it: its form
carries no CSRF token. Browsers say where a POST comes from: `Sec-Fetch-Site` (all current
browsers) and, from older ones, `Origin` (every POST from a page). A sign POST is refused when
the browser says another site sent it; one that carries neither comes from no browser page
(curl, a script), which could post the same fields directly anyway. Nothing is lost by this:
signing reads no cookie, and a signature still counts only once its e-mail link is opened.
"""

from contextlib import suppress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest

# Sec-Fetch-Site values of a request a page of this site made, or the person typed.
OWN_SITE = {"same-origin", "none"}


def own_origins(request: HttpRequest) -> set[str]:
    """This site's origins: the one it was asked under, the configured ones."""
    origins = {settings.BASE_URL, *settings.CSRF_TRUSTED_ORIGINS}
    # A Host outside ALLOWED_HOSTS names no origin of ours.
    with suppress(DisallowedHost):
        origins.add(f"{request.scheme}://{request.get_host()}")
    return {origin.rstrip("/").lower() for origin in origins}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def is_cross_site(request: HttpRequest) -> bool:
    """Whether the browser says another site sent this request."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        # The surest word: under a no-referrer policy a browser sends "Origin: null" even from
        # the site's own page, but Sec-Fetch-Site still says "same-origin".
        return fetch_site.lower() not in OWN_SITE
    origin = request.headers.get("Origin")
    if origin is not None:
        # "null": a sandboxed frame, a data: page or a redirect from elsewhere.
        return origin.lower() == "null" or origin_of(origin) not in own_origins(request)
    referer = request.headers.get("Referer")
    return bool(referer) and origin_of(referer) not in own_origins(request)
