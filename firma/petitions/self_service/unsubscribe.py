"""The unsubscribe link in every update to signers: a page whose button stops the news (opening
it changes nothing), which mail programs may also press for the reader with RFC 8058's one-click
POST to the same address."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from firma.core.middleware import private, secret_link_form
from firma.petitions.models import ConsentRecord, Signature
from firma.petitions.self_service.services import withdraw
from firma.petitions.tokens import signature_for_unsubscribe_token


def is_one_click(request: HttpRequest) -> bool:
    """The POST a mail program sends when its reader presses its unsubscribe button."""
    return request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click"


def unsubscribing_signature(slug: str, token: str) -> Signature:
    """The signature an unsubscribe link is for; a mistyped or forged link is not found."""
    signature = signature_for_unsubscribe_token(token)
    if signature is None or signature.petition.slug != slug:
        raise Http404
    return signature


@secret_link_form
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    signature = unsubscribing_signature(slug, token)
    if request.method == "POST":
        withdraw(signature, ConsentRecord.Choice.PETITION_NEWS, ConsentRecord.Channel.UNSUBSCRIBE)
        if not is_one_click(request):
            return private(redirect(request.path))
    petition = signature.petition
    context = {
        "signature": signature,
        "petition": petition,
        "text": petition.text_for(get_language()),
    }
    return private(render(request, "petitions/unsubscribe.html", context))
