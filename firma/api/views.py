from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from firma.petitions.languages import choose_language
from firma.petitions.views import get_petition, petition_url


@require_safe
def petition_detail(request: HttpRequest, slug: str) -> JsonResponse:
    try:
        petition = get_petition(request, slug)
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
            "signature_count": petition.signature_count(),
            "signatures_by_country": dict(petition.counts_by_country()),
        },
        json_dumps_params={"ensure_ascii": False},
    )
