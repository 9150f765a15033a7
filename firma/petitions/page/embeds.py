"""The petition inside a frame on another site: its title, count, progress and signing form.

An organiser pastes two lines into their own site (see sharing.links.embed_snippet):
firma/embed.js inserts an iframe of `petitions:embed` and sizes it. Only a petition with
`allow_embedding` may be framed; for any other, these pages refuse frames like the rest of the
site.

Why the embedded form has its own endpoint, without Django's CSRF check: inside a frame on
another site the browser neither sends nor stores firma's SameSite=Lax CSRF cookie (nor any
third-party cookie), so the ordinary form would always fail there. The check can be dropped
because signing relies on no ambient credential: `embed_sign` reads no cookie, no session and no
logged-in user, so a post forged by another page can do nothing that a direct post cannot, and
every signature still waits for its confirmation e-mail (double opt-in). Rate limits and the
proof-of-work challenge apply as on the petition page. In place of the CSRF token the form
carries a signed token naming the petition, issued when the form was shown and valid for a day:
posts must come from a form firma rendered for this petition, recently.

Clickjacking a framed form gains nothing for the same reason: a tricked click cannot confirm a
signature, only the link in the e-mail can.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from firma.core import origins
from firma.petitions.defences import challenge
from firma.petitions.models import Petition
from firma.petitions.page.rendering import (
    render_cross_site,
    render_embed,
    render_embed_too_many,
)
from firma.petitions.selectors import public_petition
from firma.petitions.sharing import links as sharing
from firma.petitions.signing.forms import EmbedSignatureForm
from firma.petitions.signing.pipeline import Outcome, submit, submit_lean
from firma.petitions.signing.submission import EMBED_SOURCE


@require_safe
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    petition = public_petition(request, slug)
    form = EmbedSignatureForm(
        petition,
        initial=sharing.arrival(request, default_source=EMBED_SOURCE),
        challenge_required=challenge.is_required(petition),
    )
    return render_embed(request, petition, {"form": form})


@csrf_exempt  # see the module's docstring: the signed embed_token stands in for it
@require_POST
def embed_sign(request: HttpRequest, slug: str) -> HttpResponse:
    # Never public_petition(): it looks at the logged-in user, and this view reads no cookie.
    petition = get_object_or_404(Petition.objects.public().prefetch_related("texts"), slug=slug)
    if origins.is_cross_site(request):
        return render_cross_site(request, petition)
    outcome = submit_lean(request, petition, embed=True)
    if outcome is Outcome.SIGNED:
        return redirect("petitions:embed_thanks", slug=petition.slug)
    # Anything unusual is the form's to explain; a limit hit on the lean path was counted.
    form = EmbedSignatureForm(
        petition, request.POST, challenge_required=challenge.is_required(petition)
    )
    match outcome or submit(request, petition, form):
        case Outcome.SIGNED:
            return redirect("petitions:embed_thanks", slug=petition.slug)
        case Outcome.CLOSED:
            return render_embed(request, petition, {"form": form}, status=409)
        case Outcome.TOO_MANY:
            return render_embed_too_many(request, petition, form)
        case Outcome.INVALID:
            return render_embed(request, petition, {"form": form}, status=400)


@require_safe
def embed_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    petition = public_petition(request, slug)
    return render_embed(request, petition, {"signed": True})
