"""The public petition pages: the front door, the index, the petition, signing, confirming."""

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from firma.core import origins
from firma.core.middleware import private, secret_link_form
from firma.petitions import counting
from firma.petitions.defences import challenge
from firma.petitions.languages import choose_language
from firma.petitions.models import Petition, Signature
from firma.petitions.outreach import selectors as outreach
from firma.petitions.outreach.forms import ArchiveFilterForm
from firma.petitions.page import cache as pages
from firma.petitions.page.rendering import render_cross_site, render_petition, render_too_many
from firma.petitions.selectors import petition_to_sign, petition_url, public_petition
from firma.petitions.sharing import links as sharing
from firma.petitions.signing import services
from firma.petitions.signing.forms import SignatureForm
from firma.petitions.signing.pipeline import Outcome, submit, submit_lean
from firma.petitions.tokens import signature_for_token

# Petitions per page of the archive.
# How long browsers and shared caches may keep a page of the archive, in seconds.
ARCHIVE_MAX_AGE = 60


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The site's front door: the petition itself when only one is open."""
    petitions = list(Petition.objects.open()[:2])
    if len(petitions) == 1:
        petition = petitions[0]
        return redirect(petition_url(petition, choose_language(request, petition)))
    with translation.override(choose_language(request)):
        return redirect("petitions:index")


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The archive: open petitions first, then the closed ones with their outcome and latest
    response; ?status= and ?outcome= narrow it, ?page= pages it."""
    form = ArchiveFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "petitions/index.html", {"form": form}, status=400)
    found = outreach.archive(form.cleaned_data["status"], form.cleaned_data["outcome"])
    # No deeper than PETITION_INDEX_MAX_PAGES (see SIGNER_LIST_MAX_PAGES).
    deepest = settings.PETITIONS_PER_PAGE * settings.PETITION_INDEX_MAX_PAGES
    pages = Paginator(found[:deepest], settings.PETITIONS_PER_PAGE)
    petitions = pages.get_page(request.GET.get("page"))
    latest = outreach.responses_by_id([petition.latest_response_id for petition in petitions])
    language = get_language()
    entries = [
        {
            "petition": petition,
            "text": petition.text_for(language),
            "count": counting.total(petition),
            "response": latest.get(petition.latest_response_id),
        }
        for petition in petitions
    ]
    filters = urlencode({k: v for k, v in form.cleaned_data.items() if v})
    context = {"form": form, "entries": entries, "page": petitions, "filters": filters}
    response = render(request, "petitions/index.html", context)
    # The same for every reader: browsers and caches in front may keep it a minute.
    patch_cache_control(response, public=True, max_age=ARCHIVE_MAX_AGE)
    return response


@require_safe
def petition_redirect(request: HttpRequest, slug: str) -> HttpResponse:
    """The short link people share: sends each reader to their language."""
    petition = public_petition(request, slug)
    language = choose_language(request, petition)
    return redirect(petition_url(petition, language, request.META.get("QUERY_STRING", "")))


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    key = pages.shared_key(request, slug)
    if key and (content := pages.fetch(key)) is not None:
        return pages.serve(request, content)
    petition = public_petition(request, slug)
    form = SignatureForm(
        petition,
        initial=sharing.arrival(request, shared=key is not None),
        challenge_required=challenge.is_required(petition),
    )
    if key is None:
        return render_petition(request, petition, form)
    response = render_petition(request, petition, form)
    pages.store(key, response)
    return pages.serve(request, response.content)


@csrf_exempt  # the page is the same for every reader: the browser says where a POST is from
@require_POST
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_to_sign(request, slug)
    if origins.is_cross_site(request):
        return render_cross_site(request, petition)
    outcome = submit_lean(request, petition)
    if outcome is Outcome.SIGNED:
        return redirect("petitions:thanks", slug=petition.slug)
    # Anything unusual is the form's to explain; a limit hit on the lean path was counted.
    form = SignatureForm(petition, request.POST, challenge_required=challenge.is_required(petition))
    match outcome or submit(request, petition, form):
        case Outcome.SIGNED:
            return redirect("petitions:thanks", slug=petition.slug)
        case Outcome.CLOSED:
            return render_petition(request, petition, form, status=409)
        case Outcome.TOO_MANY:
            return render_too_many(request, petition, form)
        case Outcome.INVALID:
            return render_petition(request, petition, form, status=400)


@require_safe
def new_challenge(request: HttpRequest, slug: str) -> JsonResponse:
    """A fresh proof-of-work puzzle for the signing form's widget."""
    public_petition(request, slug)
    response = JsonResponse(challenge.new_challenge())
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    petition = public_petition(request, slug)
    context = {"petition": petition, "text": petition.text_for(get_language())}
    return render(request, "petitions/thanks.html", context)


@secret_link_form
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The link in the confirmation e-mail. Opening it changes nothing; its button confirms."""
    # The link's token is a secret: kept out of shared caches and of Referer headers.
    return private(confirmation_page(request, slug, token))


def confirmation_page(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    petition = public_petition(request, slug)
    context = {"petition": petition, "text": petition.text_for(get_language())}
    try:
        signature = signature_for_token(token)
    except signing.SignatureExpired:
        return render(request, "petitions/link_expired.html", context, status=410)
    if signature is None or signature.petition_id != petition.pk:
        raise Http404
    if request.method == "POST":
        if not petition.is_open:
            return render(request, "petitions/confirm.html", context, status=409)
        services.confirm(signature)
        return redirect("petitions:confirmed", slug=petition.slug)
    context["signature"] = signature
    context["already_confirmed"] = signature.status == Signature.Status.CONFIRMED
    return render(request, "petitions/confirm.html", context)


@require_safe
def confirmed(request: HttpRequest, slug: str) -> HttpResponse:
    petition = public_petition(request, slug)
    context = {
        "petition": petition,
        "text": petition.text_for(get_language()),
        "count": counting.total(petition),
    }
    return render(request, "petitions/confirmed.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token: usually an old page or blocked cookies."""
    return render(request, "petitions/csrf_failure.html", status=403)
