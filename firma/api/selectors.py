"""What an API token may read: its organisation's petitions and their signatures."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from firma.api.forms import SignatureFilterForm
from firma.api.models import ApiToken
from firma.api.pagination import page_form
from firma.petitions.models import Petition


def own_petitions(token: ApiToken) -> QuerySet[Petition]:
    return Petition.objects.filter(organisation=token.organisation_id).prefetch_related("texts")


def own_petition(token: ApiToken, slug: str) -> Petition:
    return get_object_or_404(own_petitions(token), slug=slug)


def filtered_signatures(
    request: HttpRequest, found: Petition
) -> tuple[QuerySet, SignatureFilterForm]:
    form = page_form(request, SignatureFilterForm)
    signatures = found.signatures.select_related("petition", "partner").defer("partner__logo")
    return form.filter(signatures), form
