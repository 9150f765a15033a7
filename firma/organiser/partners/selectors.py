"""Who may see a partner's view, and its figures: aggregates, never a signer who did not
consent to hear from the partner."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest
from django_countries.fields import Country

from firma.petitions.consents.selectors import with_partner_consent
from firma.petitions.models import Partner, Signature
from firma.tenancy.roles import MODERATOR, VIEWER, User, is_superuser, may, member_of, memberships


def partner_or_404(
    request: HttpRequest, object_id: str, partner_id: int, *, export: bool = False
) -> Partner:
    """The partner of petition `object_id`, for its own members and the petition's organisers
    (a moderator at least for the export). Anyone else finds nothing there (404)."""
    if not str(object_id).isdigit():
        raise Http404
    partner = (
        Partner.objects.defer("logo")
        .select_related("petition", "organisation")
        .filter(pk=partner_id, petition_id=object_id)
        .first()
    )
    if partner is None:
        raise Http404
    if member_of(request.user, partner.organisation_id):
        return partner
    if may(request.user, VIEWER, partner.petition):
        if export and not may(request.user, MODERATOR, partner.petition):
            raise PermissionDenied
        return partner
    raise Http404


def partners_seen_by(user: User) -> QuerySet[Partner]:
    """The partnerships of the user's own organisations: the admin index links their views."""
    if is_superuser(user):
        return Partner.objects.none()  # superusers reach them from each petition
    return (
        Partner.objects.defer("logo")
        .filter(organisation__in=list(memberships(user)))
        .select_related("petition")
        .prefetch_related("petition__texts")
        .order_by("-petition__created_at", "position")
    )


def consenting(partner: Partner) -> QuerySet[Signature]:
    """The confirmed, valid signatures whose signers' last word about hearing from the partner
    is yes, and whose data are still kept."""
    return with_partner_consent(Signature.objects.confirmed(), partner).exclude(email="")


@dataclass
class Figures:
    brought: int  # confirmed and valid signatures from the partner's links and embeds
    consented: int  # signers who ticked the partner's box, whoever brought them
    brought_without_consent: int
    by_day: list[tuple[date, int]] = field(default_factory=list)
    by_country: list[tuple[Country | None, int]] = field(default_factory=list)


def figures(partner: Partner) -> Figures:
    brought = Signature.objects.confirmed().filter(partner=partner)
    by_day = (
        brought.annotate(day=TruncDate("confirmed_at"))
        .values_list("day")
        .annotate(total=Count("pk"))
        .order_by("day")
    )
    by_country = (
        brought.values_list("country").annotate(total=Count("pk")).order_by("-total", "country")
    )
    return Figures(
        brought=brought.count(),
        consented=consenting(partner).count(),
        brought_without_consent=brought.exclude(
            pk__in=with_partner_consent(Signature.objects.all(), partner).values("pk")
        ).count(),
        by_day=list(by_day),
        by_country=[(Country(code) if code else None, total) for code, total in by_country],
    )
