"""Looking up petitions for the public pages and the organisers' tools.

Views and services import these; each lookup that can fail raises (Http404), so that a view
reads load, validate, act, answer.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django_countries.fields import Country

from firma.core.cache import ProcessCopies
from firma.petitions.models import Petition
from firma.tenancy.roles import VIEWER, User, is_superuser, organisation_ids

# How long the number of listed signers (for the pages of the public list) is kept.
LISTED_COUNT_SECONDS = 60


def petitions_for(user: User, role: str = VIEWER) -> QuerySet[Petition]:
    """The petitions `user` may act on with `role`; the public views use it for drafts too."""
    if is_superuser(user):
        return Petition.objects.all()
    return Petition.objects.filter(organisation__in=organisation_ids(user, role))


def public_petition(request: HttpRequest, slug: str, *, texts: bool = True) -> Petition:
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


def forget_petitions_to_sign(**kwargs) -> None:
    """This process sees its own changes to a petition (closing it, say) at once; connected to
    the petition's post_save and post_delete in PetitionsConfig.ready()."""
    petitions_to_sign.clear()


def petition_to_sign(request: HttpRequest, slug: str) -> Petition:
    """public_petition() for the sign POST, which a viral petition receives thousands of times
    a second: each process loads it at most once per PAGE_CACHE_SECONDS, the age of the page
    the signer was shown. A petition closed meanwhile refuses signatures that much later."""
    if request.user.is_staff or settings.PAGE_CACHE_SECONDS <= 0:
        return public_petition(request, slug, texts=False)
    petition = petitions_to_sign.get(slug)
    if petition is None:
        petition = public_petition(request, slug, texts=False)
        petitions_to_sign.put(slug, petition, time.time() + settings.PAGE_CACHE_SECONDS)
    return petition


def petition_url(petition: Petition, language: str, query: str = "") -> str:
    with translation.override(language):
        url = petition.get_absolute_url()
    return f"{url}?{query}" if query else url


def listed_count(petition: Petition) -> int:
    """How many signers the public list holds, counted at most once a minute: with a million
    signers, counting them takes longer than rendering the page."""
    key = f"firma:listed:{petition.pk}"
    count = cache.get(key)
    if count is None:
        count = petition.signatures.listed().count()
        cache.set(key, count, LISTED_COUNT_SECONDS)
    return count


# The most endorsing organisations the page lists; the count above the list holds them all.
ENDORSEMENTS_SHOWN = 5000


@dataclass
class Endorsements:
    """The verified endorsing organisations of a petition, grouped by country."""

    total: int
    countries: list[tuple[Country, list[dict]]]

    @property
    def country_count(self) -> int:
        return sum(1 for country, _found in self.countries if country.code)


def endorsements(petition: Petition) -> Endorsements:
    """The organisations the page shows, by country (in the reader's language's order), each
    with its name and website, in the order they endorsed."""
    rows = (
        petition.signatures.endorsed()
        .order_by("confirmed_at", "pk")
        .values("organisation_name", "organisation_website", "country")[:ENDORSEMENTS_SHOWN]
    )
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["country"], []).append(row)
    countries = sorted(
        ((Country(code), found) for code, found in grouped.items()),
        key=lambda pair: (not pair[0].code, str(pair[0].name)),
    )
    total = petition.signatures.endorsed().count()
    return Endorsements(total=total, countries=countries)
