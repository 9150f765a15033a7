import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from firma.api import openapi
from firma.api.endpoints import endpoint
from firma.api.errors import error_response, not_found
from firma.core.cache import ProcessCopies
from firma.petitions import counting
from firma.petitions.languages import choose_language
from firma.petitions.selectors import petition_url, public_petition


@endpoint("GET")
def petition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The first API, kept as it was: /api/v1/petitions/<slug> has more.

    The petition page polls it for the live count, so on a busy day most readers ask for the
    same answer: anonymous ones share one, built at most every COUNT_CACHE_SECONDS.
    """
    shared = settings.SESSION_COOKIE_NAME not in request.COOKIES
    response = shared_or_rendered(request, slug, shared)
    if shared and response.status_code == 200:
        # Any cache in front (nginx's micro-cache, a CDN) may keep it as long as this process.
        seconds = max(1, round(settings.COUNT_CACHE_SECONDS))
        patch_cache_control(response, public=True, max_age=seconds)
        patch_vary_headers(response, ["Accept-Language"])
    return response


def shared_or_rendered(request: HttpRequest, slug: str, shared: bool) -> HttpResponse:
    # ":2:": these entries carry their deadline; the first ones held the body alone.
    # Hashed: a slug or an Accept-Language header may hold what a cache key must not (spaces).
    varying = f"{slug}\n{request.headers.get('Accept-Language', '')[:60]}"
    key = f"firma:api:petition:2:{hashlib.blake2b(varying.encode(), digest_size=12).hexdigest()}"
    if shared and (body := shared_answer(key)) is not None:
        return HttpResponse(body, content_type="application/json")
    response = petition_body(request, slug)
    if shared and response.status_code == 200:
        seconds = settings.COUNT_CACHE_SECONDS
        cache.set(key, (time.time() + seconds, response.content), seconds)
        answers.put(key, response.content, time.time() + seconds)
    return response


# Each process keeps the shared answers it has seen, until they are due.
answers = ProcessCopies()


def shared_answer(key: str) -> bytes | None:
    if (body := answers.get(key)) is not None:
        return body
    if (entry := cache.get(key)) is not None:
        fresh_until, body = entry
        answers.put(key, body, fresh_until)
        return body
    return None


def petition_body(request: HttpRequest, slug: str) -> JsonResponse:
    try:
        petition = public_petition(request, slug)
    except Http404:
        return JsonResponse({"error": "not_found", "detail": "No such petition."}, status=404)
    language = choose_language(request, petition)
    text = petition.text_for(language)
    return JsonResponse(
        {
            "slug": petition.slug,
            "title": text.title,
            "language": text.language,
            "languages": sorted(t.language for t in petition.texts.all()),
            "url": settings.BASE_URL + petition_url(petition, text.language),
            "status": petition.status,
            "goal": petition.goal,
            "closes_on": petition.closes_on,
            "signature_count": counting.total(petition),
            "signatures_by_country": dict(counting.by_country(petition)),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@endpoint("GET", public=True)
def openapi_document(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi.document(), json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def unknown(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other address under /api/: a JSON 404, never the site's HTML page."""
    return error_response(not_found())
