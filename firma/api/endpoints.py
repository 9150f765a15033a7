"""The frame around every API view: allowed methods, the rate limit, JSON errors, and for the
public endpoints CORS and HTTP caching (ETag, Last-Modified, Cache-Control, 304)."""

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.csrf import csrf_exempt

from firma.api.errors import ApiError, error_response, not_found
from firma.core import clients as clients
from firma.petitions.defences import ratelimits as ratelimits

# How long the moment an answer first looked like this is remembered, for Last-Modified.
SEEN_SECONDS = 7 * 24 * 3600
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After"


def endpoint(*methods: str, public: bool = False) -> Callable:
    """Wrap an API view that answers `methods` (GET implies HEAD; OPTIONS is answered here).

    Public endpoints may be read from any origin and cached; the others, which need a token,
    carry private data and are never cached.
    """
    allowed = {*methods, "OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
    allow_header = ", ".join(sorted(allowed))

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @csrf_exempt  # tokens, not cookies, authenticate: there is no session to forge
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            try:
                if request.method == "OPTIONS":
                    response = HttpResponse(status=204)
                    response["Allow"] = allow_header
                else:
                    if request.method not in allowed:
                        raise ApiError(
                            405,
                            "method_not_allowed",
                            f"Use {allow_header}.",
                            headers={"Allow": allow_header},
                        )
                    limit(request)
                    response = view(request, *args, **kwargs)
            except ApiError as error:
                response = error_response(error)
            except Http404:
                response = error_response(not_found())
            if not public:
                # Unless the view says its answer is the same for everyone (the live count).
                if not response.has_header("Cache-Control"):
                    patch_cache_control(response, private=True, no_store=True)
                return response
            if request.method in ("GET", "HEAD") and response.status_code == 200:
                response = conditional(request, response)
            return allow_cross_origin(response, allow_header)

        return wrapper

    return decorate


def limit(request: HttpRequest) -> None:
    """Count the request against its client's network; raise 429 beyond API_RATE_LIMIT."""
    rule = ratelimits.Limit.parse(settings.API_RATE_LIMIT)
    network = clients.ip_hash(clients.client_ip(request))
    if ratelimits.hit_often(f"api:{network}", rule.seconds) > rule.count:
        retry = max(1, rule.seconds - int(time.time()) % rule.seconds)
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests: try again in {retry} seconds.",
            headers={"Retry-After": str(retry)},
        )


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponseBase:
    """Add the validators and caching rules; 304 when the client's copy is current."""
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    last_modified = first_seen(request.get_full_path(), etag)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(
        response,
        public=True,
        max_age=settings.API_MAX_AGE,
        stale_while_revalidate=settings.API_STALE_WHILE_REVALIDATE,
    )
    return (
        get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        or response
    )


def first_seen(path: str, etag: str) -> int:
    """When the answer at `path` became `etag`, as far as the cache remembers.

    The data behind an answer (counts, signers, texts) has no single modification time, so the
    answer's own first appearance stands for it: Last-Modified changes exactly when the body does.
    """
    key = "api:seen:" + hashlib.sha256(path.encode()).hexdigest()
    seen = cache.get(key)
    if seen and seen[0] == etag:
        return seen[1]
    now = int(time.time())
    cache.set(key, (etag, now), SEEN_SECONDS)
    return now


def allow_cross_origin(response: HttpResponseBase, allow_header: str) -> HttpResponseBase:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = allow_header
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    response["Access-Control-Max-Age"] = "86400"
    return response
