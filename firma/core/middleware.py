"""Response headers that keep browsers from doing more than firma's pages need.

The Content-Security-Policy comes from django-csp (CONTENT_SECURITY_POLICY in settings) and
X-Frame-Options from Django; this module adds the Permissions-Policy header, the one
sanctioned way to let a page be framed, `allow_framing`, and what keeps a signer's private pages
private.
"""

from collections.abc import Callable
from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import get_callable
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from firma.core.origins import is_cross_site

# Powerful browser features no page of firma uses: denied to the page and to anything it frames,
# so an injected script or a compromised dependency cannot ask for them either. (web-share stays
# allowed for a future "share this petition" button; interest-cohort is the retired FLoC.)
DENIED_FEATURES = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "interest-cohort",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class PermissionsPolicyMiddleware:
    """Sends the Permissions-Policy header, unless the view set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def allow_framing(*origins: str) -> Callable:
    """Let other sites show the decorated view in a frame (an embeddable count, say).

    Every other page refuses frames twice: `X-Frame-Options: DENY` and the CSP
    `frame-ancestors 'none'`. This lifts both for one view. `origins` are CSP sources such as
    "https://union.example"; without any, every https site may embed the view.

    Only for read-only views: a framed page with a form or a button can be clickjacked.

        @allow_framing()
        def embed_count(request, slug): ...
    """
    ancestors = list(origins) or ["https:"]

    def decorator(view: Callable) -> Callable:
        # csp_replace (not csp_update): 'none' must not stay next to the allowed origins.
        framed = xframe_options_exempt(csp_replace({"frame-ancestors": ancestors})(view))
        return wraps(view)(framed)

    return decorator


def private(response: HttpResponseBase) -> HttpResponseBase:
    """Keep a page about one signer out of shared caches, search engines and Referer headers."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def secret_link_form(view: Callable) -> Callable:
    """For a page at a secret link whose form posts back to that link (confirm, change, delete,
    unsubscribe): the secret in the address is what a forger lacks, so no per-reader CSRF token
    is needed, and a POST that the browser says another site sent is refused.

    Django's own check cannot stand here: under the pages' `no-referrer` policy a browser posts
    their forms with "Origin: null", which it refuses. A mail program's one-click unsubscribe
    (RFC 8058) sends no browser headers and passes.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.method == "POST" and is_cross_site(request):
            return get_callable(settings.CSRF_FAILURE_VIEW)(request, reason="cross-site")
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)
