"""The petition inside a frame on another site: its title, count, progress and signing form.

An organiser pastes two lines into their own site (see sharing.embed_snippet): firma/embed.js
inserts an iframe of `petitions:embed` and sizes it. Only a petition with `allow_embedding` may be
framed; for any other, these pages refuse frames like the rest of the site.

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

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from firma.core.middleware import allow_framing
from firma.petitions.defences import challenge as challenge
from firma.petitions.defences import clients as clients
from firma.petitions.defences import ratelimits as ratelimits
from firma.petitions.models import Petition
from firma.petitions.page.views import get_petition
from firma.petitions.sharing import links as sharing
from firma.petitions.signing import services as petition_signing
from firma.petitions.signing.forms import SignatureForm

EMBED_SOURCE = "embed"
TOKEN_SALT = "firma.petitions.embed-form"
TOKEN_MAX_AGE = 24 * 3600


class FreshTokenField(forms.CharField):
    """A hidden token issued anew each time the form is shown, after an error too."""

    def bound_data(self, data, initial):
        return initial


class EmbedSignatureForm(SignatureForm):
    embed_token = FreshTokenField(required=False, widget=forms.HiddenInput)

    def __init__(self, petition: Petition, *args, **kwargs) -> None:
        super().__init__(petition, *args, **kwargs)
        self.fields["embed_token"].initial = signing.dumps(petition.pk, salt=TOKEN_SALT)

    def clean_source(self) -> str:
        return super().clean_source() or EMBED_SOURCE

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            petition_id = signing.loads(
                cleaned.get("embed_token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE
            )
        except signing.BadSignature:
            petition_id = None
        if petition_id != self.instance.petition.pk:
            raise ValidationError(
                _("This form was open for too long. Please check it and send it again."),
                code="embed_token",
            )
        return cleaned


@allow_framing("*")
def render_framable(
    request: HttpRequest, template: str, context: dict, status: int = 200
) -> HttpResponse:
    return render(request, template, context, status=status)


def render_embed(
    request: HttpRequest, petition: Petition, context: dict, status: int = 200
) -> HttpResponse:
    """The widget's page: framable by any site when the petition allows it, else by none."""
    count = petition.signature_count()
    context = {
        "petition": petition,
        "text": petition.text_for(get_language()),
        "count": count,
        "progress": min(100, count * 100 // petition.goal) if petition.goal else None,
        "petition_url": sharing.absolute(petition.get_absolute_url()),
        "form_action": reverse("petitions:embed_sign", kwargs={"slug": petition.slug}),
        "embedded": True,
        **context,
    }
    page = render_framable if petition.allow_embedding else render
    return page(request, "petitions/embed.html", context, status=status)


@require_safe
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_petition(request, slug)
    form = EmbedSignatureForm(
        petition,
        initial=sharing.arrival(request, default_source=EMBED_SOURCE),
        challenge_required=challenge.is_required(petition),
    )
    return render_embed(request, petition, {"form": form})


@csrf_exempt  # see the module's docstring: the signed embed_token stands in for it
@require_POST
def embed_sign(request: HttpRequest, slug: str) -> HttpResponse:
    # Never get_petition: it looks at the logged-in user, and this view must read no cookie.
    petition = get_object_or_404(Petition.objects.public().prefetch_related("texts"), slug=slug)
    client = clients.describe(request)
    form = EmbedSignatureForm(
        petition, request.POST, challenge_required=challenge.is_required(petition)
    )
    if not petition.is_open:
        return render_embed(request, petition, {"form": form}, status=409)
    if not ratelimits.allow_attempt(client):
        return render_too_many(request, petition, form)
    valid = form.is_valid()
    challenge.observe(petition, failed=not valid)
    if not valid:
        return render_embed(request, petition, {"form": form}, status=400)
    if not ratelimits.allow_signature(form.cleaned_data["email"], petition):
        return render_too_many(request, petition, form)
    petition_signing.sign(form, get_language(), client)
    return redirect("petitions:embed_thanks", slug=petition.slug)


@require_safe
def embed_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_petition(request, slug)
    return render_embed(request, petition, {"signed": True})


def render_too_many(
    request: HttpRequest, petition: Petition, form: EmbedSignatureForm
) -> HttpResponse:
    """429, with the form as it was sent, so that nothing typed is lost."""
    response = render_embed(request, petition, {"form": form, "too_many": True}, status=429)
    response["Retry-After"] = "60"
    return response
