"""Loading a petition for one of the organiser's own pages (dashboard, lifecycle, moderation).

The pages hang under the petition's admin URL and follow the admin's rules: a petition the user
may not see at all is not found (404), one they see without the role the page needs is
forbidden (403).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import path

from firma.petitions.models import Petition, Signature
from firma.petitions.selectors import petitions_for
from firma.tenancy.roles import VIEWER, may

PREFIX = "petitions_petition_"


def petition_for(request: HttpRequest, object_id: str, role: str) -> Petition:
    """The petition `object_id`, if `request.user` has `role` for it."""
    if not str(object_id).isdigit():
        raise Http404
    petition = get_object_or_404(
        petitions_for(request.user, VIEWER).prefetch_related("texts"), pk=object_id
    )
    if not may(request.user, role, petition):
        raise PermissionDenied
    return petition


def signature_of(petition: Petition, signature_id: int) -> Signature:
    return get_object_or_404(Signature, pk=signature_id, petition=petition)


def context(request: HttpRequest, petition: Petition, title: str, **extra) -> dict:
    """What the admin's base templates expect, for a page about `petition`."""
    return {
        **admin.site.each_context(request),
        "title": title,
        "opts": Petition._meta,
        "original": petition,
        "petition_title": petition.text_for(petition.default_language).title,
        **extra,
    }


def admin_path(route: str, view, name: str):
    """A URL under /admin/petitions/petition/, behind the admin's login."""
    return path(route, admin.site.admin_view(view), name=PREFIX + name)


def petition_or_404(request: HttpRequest, object_id: str, role: str) -> Petition:
    """The petition, if the user has `role` for it: 404 when they may not even see it."""
    petition = None
    if object_id.isdigit():
        petition = petitions_for(request.user).filter(pk=object_id).first()
    if petition is None:
        raise Http404
    if not may(request.user, role, petition):
        raise PermissionDenied
    return petition
