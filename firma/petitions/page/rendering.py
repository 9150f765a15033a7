"""Drawing the petition page, its embedded form and their error answers; the organisers'
preview draws the page with petition_context() too."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django_countries.fields import Country

from firma.core.middleware import allow_framing
from firma.petitions import counting
from firma.petitions.models import Petition
from firma.petitions.questions.selectors import public as public_questions
from firma.petitions.selectors import endorsements, listed_count
from firma.petitions.sharing import links as sharing
from firma.petitions.signing.forms import SignatureForm


def progress(count: int, goal: int | None) -> int | None:
    return min(100, count * 100 // goal) if goal else None


def petition_context(petition: Petition, form: SignatureForm) -> dict:
    """What the petition page shows, but the lists of signers and countries."""
    count = counting.total(petition)
    return {
        "petition": petition,
        "text": petition.text_for(get_language()),
        "form": form,
        "count": count,
        "progress": progress(count, petition.goal),
        "signers": [],
        "countries": [],
        "endorsements": None,
        "short_url": reverse("petition-redirect", kwargs={"slug": petition.slug}),
        "partners": list(form.partners.values()),
    }


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


def render_petition(
    request: HttpRequest,
    petition: Petition,
    form: SignatureForm,
    status: int = 200,
) -> HttpResponse:
    context = petition_context(petition, form)
    signers = petition.signatures.listed().order_by("-confirmed_at", "-pk")
    deepest = settings.SIGNERS_PER_PAGE * settings.SIGNER_LIST_MAX_PAGES
    shown = min(listed_count(petition), deepest)
    paginator = KnownCountPaginator(signers, settings.SIGNERS_PER_PAGE, shown)
    context["signers"] = paginator.get_page(request.GET.get("page"))
    context["signers_capped"] = shown == deepest
    context["countries"] = [(Country(code), n) for code, n in counting.by_country(petition)]
    context["endorsements"] = endorsements(petition)
    context["public_questions"] = public_questions(petition)
    return render(request, "petitions/petition.html", context, status=status)


def render_too_many(request: HttpRequest, petition: Petition, form: SignatureForm) -> HttpResponse:
    """429, with the form as it was sent, so that nothing typed is lost.

    Only the form: a flood gets many of these, and they must cost little.
    """
    context = {"petition": petition, "text": petition.text_for(get_language()), "form": form}
    response = render(request, "petitions/too_many.html", {**context, "too_many": True}, status=429)
    response["Retry-After"] = "60"
    return response


def render_cross_site(request: HttpRequest, petition: Petition) -> HttpResponse:
    """403 for a sign POST another site sent (core.origins): nothing was stored."""
    context = {"petition": petition, "text": petition.text_for(get_language())}
    return render(request, "petitions/cross_site.html", context, status=403)


@allow_framing("*")
def render_framable(
    request: HttpRequest, template: str, context: dict, status: int = 200
) -> HttpResponse:
    return render(request, template, context, status=status)


def render_embed(
    request: HttpRequest, petition: Petition, context: dict, status: int = 200
) -> HttpResponse:
    """The widget's page: framable by any site when the petition allows it, else by none."""
    count = counting.total(petition)
    context = {
        "petition": petition,
        "text": petition.text_for(get_language()),
        "count": count,
        "progress": progress(count, petition.goal),
        "petition_url": sharing.absolute(petition.get_absolute_url()),
        "form_action": reverse("petitions:embed_sign", kwargs={"slug": petition.slug}),
        "embedded": True,
        **context,
    }
    page = render_framable if petition.allow_embedding else render
    return page(request, "petitions/embed.html", context, status=status)


def render_embed_too_many(
    request: HttpRequest, petition: Petition, form: SignatureForm
) -> HttpResponse:
    """429 inside the frame, with the form as it was sent."""
    response = render_embed(request, petition, {"form": form, "too_many": True}, status=429)
    response["Retry-After"] = "60"
    return response
