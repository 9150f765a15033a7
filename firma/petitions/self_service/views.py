"""Pages for signers about their own data: the privacy notice, and the self-service pages behind
the private link in their e-mails, where they see, download, change or delete their signature."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from firma.core.middleware import private, secret_link_form
from firma.petitions.consents import selectors as consent_selectors
from firma.petitions.consents import services as consents
from firma.petitions.consents import wordings
from firma.petitions.models import ConsentRecord, Petition, Signature
from firma.petitions.partners import services as partners
from firma.petitions.self_service.forms import DeleteForm, ListingForm
from firma.petitions.self_service.services import delete_signature, withdraw
from firma.petitions.tokens import signature_for_self_service_token

Choice, Channel = ConsentRecord.Choice, ConsentRecord.Channel

# Kept to tell genuine signatures from fake ones. Signers learn which exist, never their values.
SIGNALS = [
    ("ip_hash", gettext_lazy("a hash of your IP address (never the address itself)")),
    ("user_agent_family", gettext_lazy("the family of your browser")),
    ("email_domain", gettext_lazy("the domain of your e-mail address")),
    ("fill_seconds", gettext_lazy("how long you took to fill in the form")),
    ("challenge_used", gettext_lazy("that you solved an anti-robot puzzle")),
    ("flags", gettext_lazy("the results of automatic checks")),
]


def contact(value: str) -> dict:
    """An e-mail address or web address from the settings, with the link that reaches it."""
    if value.startswith(("https://", "http://")):
        return {"label": value, "href": value}
    if "@" in value:
        return {"label": value, "href": f"mailto:{value}"}
    return {"label": value, "href": ""}


def controller() -> dict:
    """Who is responsible for signers' data, as configured for this site."""
    return {
        "name": settings.ORGANISATION_NAME,
        "address": settings.ORGANISATION_ADDRESS,
        "contact": contact(settings.ORGANISATION_CONTACT),
        "data_protection_contact": contact(settings.DATA_PROTECTION_CONTACT),
    }


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    language = get_language()
    # Petitions that keep data for longer or shorter than the site's default are named.
    other_periods = (
        Petition.objects.public()
        .filter(anonymised_at__isnull=True)
        .exclude(retention_days=settings.RETENTION_DAYS)
        .prefetch_related("texts")
    )
    context = {
        "controller": controller(),
        "retention_days": settings.RETENTION_DAYS,
        "other_periods": [(p.text_for(language), p.retention_days) for p in other_periods],
    }
    return render(request, "petitions/privacy.html", context)


def signer_page(view: Callable) -> Callable:
    """Give `view` the signature its private link is for, and keep the response private.

    A mistyped or forged link, one for another petition or for a deleted signature is not
    found. An expired link, or one whose signature was erased after the petition closed, is gone.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, token: str) -> HttpResponse:
        try:
            signature = signature_for_self_service_token(token)
        except signing.SignatureExpired:
            context = {"expired": True, "controller": controller()}
            return private(render(request, "petitions/my/unavailable.html", context, status=410))
        if signature is None or signature.petition.slug != slug:
            raise Http404
        if signature.anonymised_at is not None:
            context = {"erased": True, "controller": controller()}
            return private(render(request, "petitions/my/unavailable.html", context, status=410))
        return private(view(request, signature, token))

    return wrapper


def stored_signals(signature: Signature) -> list[tuple[str, str]]:
    stored = [(name, label, getattr(signature, name)) for name, label in SIGNALS]
    # 0 seconds is a stored value (a robot's), unlike an unticked flag or an empty text.
    return [
        (name, label)
        for name, label, value in stored
        if value is not None and value is not False and value != ""
    ]


def page_context(signature: Signature, token: str) -> dict:
    petition = signature.petition
    return {
        "signature": signature,
        "petition": petition,
        "text": petition.text_for(get_language()),
        "token": token,
        "signals": stored_signals(signature),
        "language_name": get_language_info(signature.language)["name_translated"],
        "controller": controller(),
        "partner_consents": consent_selectors.partners_given(signature),
        "consents": consent_selectors.records_for(signature),
    }


def signature_data(signature: Signature) -> dict:
    """Everything kept about a signature, for the signer to take away (GDPR art. 15 and 20)."""
    petition = signature.petition
    return {
        "petition": {
            "slug": petition.slug,
            "title": petition.text_for(signature.language).title,
            "url": settings.BASE_URL + petition.get_absolute_url(),
        },
        "full_name": signature.full_name,
        "organization": signature.affiliation,
        "country": signature.country.code or "",
        "email": signature.email,
        "comment": signature.comment,
        "answers": dict(signature.answers),
        "listed_publicly": signature.public,
        "hidden_by_organisers": signature.hidden,
        "news_opt_in": signature.news_opt_in,
        "organisation_news": signature.organisation_news,
        "consents": consent_selectors.history(signature),
        "status": signature.status,
        "invalidated_by_organisers": signature.invalidation_id is not None,
        "language": signature.language,
        "signed_at": signature.created_at,
        "confirmed_at": signature.confirmed_at,
        "email_delivery_error": signature.email_error,
        "anti_fraud_signals_stored": [name for name, _label in stored_signals(signature)],
        "erased_days_after_closing": petition.retention_days,
        "brought_by_partner": signature.partner.name if signature.partner_id else "",
        "partner_consents": [
            {
                "partner": record.partner.name,
                "wording": record.wording.text if record.wording else "",
                "given_at": record.created_at,
            }
            for record in consent_selectors.partners_given(signature)
        ],
    }


def my_signature_url(signature: Signature, token: str) -> str:
    kwargs = {"slug": signature.petition.slug, "token": token}
    return reverse("petitions:my_signature", kwargs=kwargs)


@require_safe
@signer_page
def my_signature(request: HttpRequest, signature: Signature, token: str) -> HttpResponse:
    return render(request, "petitions/my/signature.html", page_context(signature, token))


@require_safe
@signer_page
def my_signature_data(request: HttpRequest, signature: Signature, token: str) -> HttpResponse:
    response = JsonResponse(
        signature_data(signature), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    filename = f"signature-{signature.petition.slug}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@secret_link_form
@require_http_methods(["GET", "HEAD", "POST"])
@signer_page
def my_signature_listing(request: HttpRequest, signature: Signature, token: str) -> HttpResponse:
    """Opening the page asks; only its button changes whether the signer is listed."""
    form = ListingForm(
        request.POST if request.method == "POST" else None,
        initial={"public": not signature.public},
    )
    if form.is_valid():
        public = form.cleaned_data["public"]
        with transaction.atomic():
            Signature.objects.filter(pk=signature.pk).update(public=public)
            pressed = wordings.listing_again() if public else wordings.withdrawal(Choice.LISTING)
            consents.change(signature, Choice.LISTING, public, pressed, Channel.SELF_SERVICE)
        if public:
            messages.success(request, _("You asked to be shown in the public list of signers."))
        else:
            messages.success(request, _("Your name is no longer shown in the public list."))
        return redirect(my_signature_url(signature, token))
    context = {**page_context(signature, token), "form": form}
    return render(request, "petitions/my/listing.html", context)


@secret_link_form
@require_http_methods(["GET", "HEAD", "POST"])
@signer_page
def my_signature_news(request: HttpRequest, signature: Signature, token: str) -> HttpResponse:
    """Opening the page asks; only its button withdraws the consent to news."""
    if request.method == "POST":
        withdraw(signature, Choice.PETITION_NEWS, Channel.SELF_SERVICE)
        messages.success(request, _("You will get no more news about this petition."))
        return redirect(my_signature_url(signature, token))
    return render(request, "petitions/my/news.html", page_context(signature, token))


@secret_link_form
@require_http_methods(["GET", "HEAD", "POST"])
@signer_page
def my_signature_partners(request: HttpRequest, signature: Signature, token: str) -> HttpResponse:
    """Opening the page asks; only its button withdraws the consents given to partners."""
    if request.method == "POST":
        partners.withdraw_consents(signature, Channel.SELF_SERVICE)
        messages.success(request, _("The partners will get no more of your details."))
        return redirect(my_signature_url(signature, token))
    return render(request, "petitions/my/partners.html", page_context(signature, token))


@secret_link_form
@require_http_methods(["GET", "HEAD", "POST"])
@signer_page
def my_signature_organisation_news(
    request: HttpRequest, signature: Signature, token: str
) -> HttpResponse:
    """Opening the page asks; only its button withdraws the consent to the organisers' news."""
    if request.method == "POST":
        withdraw(signature, Choice.ORGANISATION_NEWS, Channel.SELF_SERVICE)
        messages.success(request, _("You will get no more news from the organisers."))
        return redirect(my_signature_url(signature, token))
    return render(request, "petitions/my/organisation_news.html", page_context(signature, token))


@secret_link_form
@require_http_methods(["GET", "HEAD", "POST"])
@signer_page
def my_signature_delete(request: HttpRequest, signature: Signature, token: str) -> HttpResponse:
    """Deletes the whole row: the signature stops counting and nothing about it is kept."""
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        delete_signature(signature)
        return redirect("petitions:signature_deleted", slug=signature.petition.slug)
    context = {**page_context(signature, token), "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "petitions/my/delete.html", context, status=status)


@require_safe
def signature_deleted(request: HttpRequest, slug: str) -> HttpResponse:
    # No 404 for a petition since made a draft: the signer must still learn the deletion worked.
    petition = Petition.objects.public().prefetch_related("texts").filter(slug=slug).first()
    text = petition.text_for(get_language()) if petition else None
    return render(request, "petitions/my/deleted.html", {"petition": petition, "text": text})
