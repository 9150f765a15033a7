"""The "this wasn't me" link in every confirmation e-mail. Mail scanners open links, so the
page only asks (GET changes nothing); its button deletes the pending signature and stops the
petition's e-mails to the address."""

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from firma.core.middleware import private, secret_link_form
from firma.petitions.mail import suppression
from firma.petitions.selectors import public_petition
from firma.petitions.tokens import signature_for_not_me_token


@secret_link_form
@require_http_methods(["GET", "HEAD", "POST"])
def not_me(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    petition = public_petition(request, slug)
    context = {"petition": petition, "text": petition.text_for(get_language())}
    try:
        signature = signature_for_not_me_token(token)
    except signing.SignatureExpired:
        return private(render(request, "petitions/link_expired.html", context, status=410))
    if signature is None or signature.petition_id != petition.pk:
        raise Http404  # never valid, or disowned or deleted already
    if request.method == "POST" and suppression.disown(signature):
        return redirect("petitions:not_me_done", slug=petition.slug)
    context["confirmed"] = signature.status != signature.Status.PENDING
    return private(render(request, "petitions/not_me.html", context))


@require_safe
def not_me_done(request: HttpRequest, slug: str) -> HttpResponse:
    petition = public_petition(request, slug)
    context = {"petition": petition, "text": petition.text_for(get_language())}
    return render(request, "petitions/not_me_done.html", context)
