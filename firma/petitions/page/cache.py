"""The petition page as most readers see it, rendered once and served from the cache.

On a viral day almost every request is an anonymous GET of the same few pages. Rendering each
one (markdown, the form, the country list, the latest signers) costs far more than handing out a
copy, so the page is rendered at most once per PAGE_CACHE_SECONDS for each language and query.
The copy is the same bytes for every reader (its form carries no per-reader token: see
core/origins.py), so it is also marked for any cache in front (nginx, a CDN) to keep, with
an ETag for conditional requests. The count in the copy is at most PAGE_CACHE_SECONDS +
COUNT_CACHE_SECONDS old; the page's script keeps it live from the count endpoint.

When the copy is due for renewal, one request renders the page again while the others keep
getting the previous copy (for at most STALE_SECONDS): a slow render, such as the count of a
million listed signers, never holds up a crowd.

Readers with a session (organisers previewing drafts) or pending messages get their own render.

When what the page shows changes other than by signing (a response published, an outcome
recorded), forget() stamps the petition anew: a copy stored under an older stamp is rendered
again. Other processes may still hand out their own fresh copy for up to PAGE_CACHE_SECONDS.
"""

import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from firma.core.cache import ProcessCopies

# The query parameters a shared page may carry; any other query gets its own render.
SHARED_PARAMETERS = {"page", "source", "via"}
# How long a copy may still be served while its renewal is under way.
STALE_SECONDS = 30
# Each process keeps the fresh copies it has seen, until they are due.
copies = ProcessCopies()


def shared_key(request: HttpRequest, slug: str) -> str | None:
    """The cache key of the page this reader would get, if it is the same for everyone."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    if not set(request.GET) <= SHARED_PARAMETERS:
        return None
    query = urlencode(sorted((name, request.GET[name][:40]) for name in request.GET))
    digest = hashlib.blake2b(query.encode(), digest_size=8).hexdigest()
    return f"firma:page:{get_language()}:{slug}:{digest}"


def slug_of(key: str) -> str:
    return key.split(":")[3]


def stamp_key(slug: str) -> str:
    return f"firma:page-stamp:{slug}"


def store(key: str, response: HttpResponse) -> None:
    if response.status_code == 200:
        fresh_until = time.time() + settings.PAGE_CACHE_SECONDS
        seconds = settings.PAGE_CACHE_SECONDS + STALE_SECONDS
        stamp = cache.get(stamp_key(slug_of(key)), 0)
        cache.set(key, (fresh_until, response.content, stamp), seconds)
        copies.put(key, response.content, fresh_until)
    cache.delete(f"{key}:renewing")


def fetch(key: str) -> bytes | None:
    """The copy to serve; None when this request is to render the page (and store it)."""
    if (content := copies.get(key)) is not None:
        return content
    stamp = stamp_key(slug_of(key))
    found = cache.get_many([key, stamp])
    entry = found.get(key)
    if entry is None:
        return None
    fresh_until, content, stamped = entry
    if stamped != found.get(stamp, 0):
        return None  # stored before the page changed
    if time.time() < fresh_until:
        copies.put(key, content, fresh_until)
        return content
    # Due for renewal: the first to ask renders it, the others keep the copy meanwhile.
    if cache.add(f"{key}:renewing", 1, timeout=STALE_SECONDS):
        return None
    return content


def forget(slug: str) -> None:
    """Render the petition's page afresh for its next reader, in every language and query."""
    cache.set(stamp_key(slug), time.time_ns(), None)
    copies.discard(lambda key: slug_of(key) == slug)


def forget_page(sender, petition, **kwargs) -> None:
    """Connected to the events that change what the page shows (PetitionsConfig.ready()):
    forgotten once the change is committed, so that no reader caches the page before it."""
    slug = petition.slug
    transaction.on_commit(lambda: forget(slug))


def serve(request: HttpRequest, content: bytes) -> HttpResponse:
    """The shared copy, for this reader and every cache on the way: 304 when they have it."""
    etag = f'"{hashlib.blake2b(content, digest_size=12).hexdigest()}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content)
    response["ETag"] = etag
    patch_cache_control(
        response,
        public=True,
        max_age=max(1, round(settings.PAGE_CACHE_SECONDS)),
        stale_while_revalidate=STALE_SECONDS,
    )
    return response
