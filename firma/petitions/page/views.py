import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_countries.fields import Country

from firma.core.cache import ProcessCopies
from firma.organiser.tenancy.roles import petitions_for
from firma.organiser.updates.services import published as published_updates
from firma.petitions.defences import challenge as challenge
from firma.petitions.defences import clients as clients
from firma.petitions.defences import ratelimits as ratelimits
from firma.petitions.languages import choose_language
from firma.petitions.models import Petition, Signature
from firma.petitions.page import cache as pages
from firma.petitions.sharing import links as sharing
from firma.petitions.signing import services as petition_signing
from firma.petitions.signing.forms import SignatureForm
from firma.petitions.tokens import signature_for_token

# How long the number of listed signers (for the pages of the public list) is kept.
LISTED_COUNT_SECONDS = 60


def get_petition(request: HttpRequest, slug: str, *, texts: bool = True) -> Petition:
    """The petition at `slug`; a draft only for its own organisers, who preview it.

    Its texts come with it unless `texts` is false, for views that seldom show them.
    """
    petitions = Petition.objects.public()
    if request.user.is_staff:
        petitions = petitions | petitions_for(request.user)
    if texts:
        petitions = petitions.prefetch_related("texts")
    return get_object_or_404(petitions, slug=slug)


# The petitions signers sign, as each process last loaded them (see petition_to_sign).
petitions_to_sign = ProcessCopies()


@receiver([post_save, post_delete], sender=Petition)
def forget_petitions_to_sign(**kwargs) -> None:
    """This process sees its own changes to a petition (closing it, say) at once."""
    petitions_to_sign.clear()


def petition_to_sign(request: HttpRequest, slug: str) -> Petition:
    """get_petition() for the sign POST, which a viral petition receives thousands of times a
    second: each process loads it at most once per PAGE_CACHE_SECONDS, the age of the page
    the signer was shown. A petition closed meanwhile refuses signatures that much later."""
    if request.user.is_staff or settings.PAGE_CACHE_SECONDS <= 0:
        return get_petition(request, slug, texts=False)
    petition = petitions_to_sign.get(slug)
    if petition is None:
        petition = get_petition(request, slug, texts=False)
        petitions_to_sign.put(slug, petition, time.time() + settings.PAGE_CACHE_SECONDS)
    return petition


def petition_url(petition: Petition, language: str, query: str = "") -> str:
    with translation.override(language):
        url = petition.get_absolute_url()
    return f"{url}?{query}" if query else url


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
    petitions = Petition.objects.open().prefetch_related("texts")
    language = get_language()
    entries = [(petition, petition.text_for(language)) for petition in petitions]
    return render(request, "petitions/index.html", {"entries": entries})


@require_safe
def petition_redirect(request: HttpRequest, slug: str) -> HttpResponse:
    """The short link people share: sends each reader to their language."""
    petition = get_petition(request, slug)
    language = choose_language(request, petition)
    return redirect(petition_url(petition, language, request.META.get("QUERY_STRING", "")))


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    key = pages.shared_key(request, slug)
    if key and (content := pages.fetch(key)) is not None:
        return pages.serve(request, sharing.with_referrer(request, content))
    petition = get_petition(request, slug)
    form = SignatureForm(
        petition,
        initial=sharing.arrival(request, shared=key is not None),
        challenge_required=challenge.is_required(petition),
    )
    if key is None:
        return render_petition(request, petition, form)
    response = render_petition(request, petition, form, csrf_token=pages.CSRF_PLACEHOLDER)
    pages.store(key, response)
    return pages.serve(request, sharing.with_referrer(request, response.content))


@require_POST
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_to_sign(request, slug)
    client = clients.describe(request)
    form = SignatureForm(petition, request.POST, challenge_required=challenge.is_required(petition))
    if not petition.is_open:
        return render_petition(request, petition, form, status=409)
    if not ratelimits.allow_attempt(client):
        return render_too_many(request, petition, form)
    valid = form.is_valid()
    challenge.observe(petition, failed=not valid)
    if not valid:
        return render_petition(request, petition, form, status=400)
    if not ratelimits.allow_signature(form.cleaned_data["email"], petition):
        return render_too_many(request, petition, form)
    petition_signing.sign(form, get_language(), client)
    return redirect("petitions:thanks", slug=petition.slug)


@require_safe
def new_challenge(request: HttpRequest, slug: str) -> JsonResponse:
    """A fresh proof-of-work puzzle for the signing form's widget."""
    get_petition(request, slug)
    response = JsonResponse(challenge.new_challenge())
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_petition(request, slug)
    context = {"petition": petition, "text": petition.text_for(get_language())}
    return render(request, "petitions/thanks.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The link in the confirmation e-mail. Opening it changes nothing; its button confirms."""
    petition = get_petition(request, slug)
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
        petition_signing.confirm(signature)
        return redirect("petitions:confirmed", slug=petition.slug)
    context["signature"] = signature
    context["already_confirmed"] = signature.status == Signature.Status.CONFIRMED
    return render(request, "petitions/confirm.html", context)


@require_safe
def confirmed(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_petition(request, slug)
    context = {
        "petition": petition,
        "text": petition.text_for(get_language()),
        "count": petition.signature_count(),
    }
    return render(request, "petitions/confirmed.html", context)


def render_too_many(request: HttpRequest, petition: Petition, form: SignatureForm) -> HttpResponse:
    """429, with the form as it was sent, so that nothing typed is lost.

    Only the form: a flood gets many of these, and they must cost little.
    """
    context = {"petition": petition, "text": petition.text_for(get_language()), "form": form}
    response = render(request, "petitions/too_many.html", {**context, "too_many": True}, status=429)
    response["Retry-After"] = "60"
    return response


def render_petition(
    request: HttpRequest,
    petition: Petition,
    form: SignatureForm,
    status: int = 200,
    csrf_token: str | None = None,
) -> HttpResponse:
    """The petition page. `csrf_token` stands in for the reader's token in a page to share."""
    context = petition_context(petition, form)
    signers = petition.signatures.listed().order_by("-confirmed_at", "-pk")
    paginator = KnownCountPaginator(signers, settings.SIGNERS_PER_PAGE, listed_count(petition))
    page = paginator.get_page(request.GET.get("page"))
    context["signers"] = page
    context["countries"] = [(Country(code), n) for code, n in petition.counts_by_country()]
    if csrf_token:
        context["csrf_token"] = csrf_token
    return render(request, "petitions/petition.html", context, status=status)


class KnownCountPaginator(Paginator):
    """A paginator told how many items there are, instead of counting them on every page.

    The count may be a minute old: it only numbers the pages. Each page still holds a full
    page of items, so the newest signers always show.
    """

    def __init__(self, object_list, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def listed_count(petition: Petition) -> int:
    """How many signers the public list holds, counted at most once a minute: with a million
    signers, counting them takes longer than rendering the page."""
    key = f"firma:listed:{petition.pk}"
    count = cache.get(key)
    if count is None:
        count = petition.signatures.listed().count()
        cache.set(key, count, LISTED_COUNT_SECONDS)
    return count


def petition_context(petition: Petition, form: SignatureForm) -> dict:
    """What the petition page shows, but the lists of signers and countries; the organisers'
    preview uses it too."""
    count = petition.signature_count()
    return {
        "petition": petition,
        "text": petition.text_for(get_language()),
        "form": form,
        "count": count,
        "progress": min(100, count * 100 // petition.goal) if petition.goal else None,
        "signers": [],
        "countries": [],
        "short_url": reverse("petition-redirect", kwargs={"slug": petition.slug}),
        "updates": published_updates(petition, get_language()),
    }


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token: usually an old page or blocked cookies."""
    return render(request, "petitions/csrf_failure.html", status=403)
