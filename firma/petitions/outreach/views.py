"""The page where a petition's target answers, through the private link in its e-mail.

No account: the signed link is the key. A GET shows the form and changes nothing (mail scanners
open links); the POST stores the answer for the organisers to publish.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_safe

from firma.petitions.models import DeliveryRecipient
from firma.petitions.outreach import services
from firma.petitions.outreach.forms import ResponseForm
from firma.petitions.outreach.selectors import recipient_for
from firma.petitions.outreach.tokens import RESPOND_SALT, LinkExpired, LinkInvalid

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def chosen_language(request: HttpRequest) -> str:
    """?lang= if it names one of the site's languages, else the URL's (the link in the
    e-mail is in the petition's default language)."""
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGES else translation.get_language()


def context_for(recipient: DeliveryRecipient, language: str, **extra) -> dict:
    petition = recipient.delivery.petition
    return {
        "petition": petition,
        "text": petition.text_for(language),
        "target": recipient.target,
        "role": recipient.target.role_in(language),
        "delivery": recipient.delivery,
        **extra,
    }


def unusable(request: HttpRequest, expired: bool) -> HttpResponse:
    status = 410 if expired else 404
    return render(
        request, "petitions/outreach/link_invalid.html", {"expired": expired}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    language = chosen_language(request)
    with translation.override(language):
        try:
            recipient = recipient_for(token, RESPOND_SALT)
        except (LinkExpired, LinkInvalid) as error:
            return unusable(request, isinstance(error, LinkExpired))
        form = ResponseForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            services.receive_response(
                recipient, form.cleaned_data["text"], form.cleaned_data["document_url"], language
            )
            response = redirect("petitions:responded", token=token)
            if request.GET.get("lang") in LANGUAGES:
                response["Location"] += f"?lang={language}"
            return response
        context = context_for(recipient, language, form=form)
        status = 400 if form.is_bound else 200
        return render(request, "petitions/outreach/respond.html", context, status=status)


@require_safe
def responded(request: HttpRequest, token: str) -> HttpResponse:
    language = chosen_language(request)
    with translation.override(language):
        try:
            recipient = recipient_for(token, RESPOND_SALT)
        except (LinkExpired, LinkInvalid) as error:
            return unusable(request, isinstance(error, LinkExpired))
        context = context_for(recipient, language, token=token)
        return render(request, "petitions/outreach/responded.html", context)
