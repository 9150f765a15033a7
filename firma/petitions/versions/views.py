"""The public page of a petition's changes since it opened."""

import itertools

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from firma.petitions.selectors import public_petition
from firma.petitions.versions.services import differences, target_differences


@require_safe
def changes(request: HttpRequest, slug: str) -> HttpResponse:
    petition = public_petition(request, slug)
    versions = list(petition.versions.order_by("number"))
    language = get_language()
    entries = [
        {
            "version": version,
            "changes": differences(before.texts, version.texts),
            "targets": target_differences(before.targets, version.targets, language),
        }
        for before, version in itertools.pairwise(versions)
    ]
    context = {
        "petition": petition,
        "text": petition.text_for(language),
        "first": versions[0] if versions else None,
        "entries": list(reversed(entries)),
    }
    return render(request, "petitions/changes.html", context)
