"""The share image and the hand-off to a Mastodon server."""

from urllib.parse import quote, urlencode

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from firma.petitions.models import Petition
from firma.petitions.selectors import public_petition
from firma.petitions.sharing.cards import CACHE_SECONDS, MAX_AGE, card_for, draw_card
from firma.petitions.sharing.forms import MastodonForm
from firma.petitions.sharing.links import tagged_url


@require_safe
def card(request: HttpRequest, slug: str) -> HttpResponse:
    """The share image, with an ETag; drawn once per key for every process (in the cache)."""
    petition = public_petition(request, slug)
    shown = card_for(petition)
    etag = quote_etag(shown.key)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        png = cache.get(shown.key)
        if png is None:
            png = draw_card(shown)
            cache.set(shown.key, png, CACHE_SECONDS)
        response = HttpResponse(png, content_type="image/png")
    response["ETag"] = etag
    if petition.status == Petition.Status.DRAFT:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def share_on_mastodon(request: HttpRequest, slug: str) -> HttpResponse:
    """Sends the person to their server's share page with the petition's link filled in."""
    petition = public_petition(request, slug)
    text = petition.text_for(get_language())
    form = MastodonForm(request.GET)
    if not form.is_valid():
        context = {"petition": petition, "text": text, "mastodon_form": form}
        return render(request, "petitions/share_mastodon.html", context, status=400)
    message = f"{text.title} {tagged_url(petition, 'mastodon')}"
    instance = form.cleaned_data["instance"]
    return redirect(f"https://{instance}/share?{urlencode({'text': message}, quote_via=quote)}")
