"""Bulk invalidation: take a batch of signatures out of the count, and put them back.

An invalidated signature keeps its row: it only points at the Invalidation that took it out, so
counts, the public list and the exports leave it aside (SignatureQuerySet.valid()) and undoing
the batch is one UPDATE.
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from firma.core import events as events
from firma.organiser.moderation.filters import has_flag
from firma.petitions import counting
from firma.petitions.models import Invalidation, Petition, Signature

ANY_FLAG = "*"


def matching(petition: Petition, criteria: dict) -> QuerySet[Signature]:
    """The signatures of `petition` the criteria pick, among those not invalidated yet.

    `criteria` are an InvalidationFilterForm's cleaned data; `up_to` (a signature id) keeps
    signatures that arrived after the preview out of the batch.
    """
    signatures = petition.signatures.valid()
    if not criteria.get("include_pending"):
        signatures = signatures.filter(status=Signature.Status.CONFIRMED)
    if criteria.get("email_domain"):
        signatures = signatures.filter(email_domain=criteria["email_domain"])
    if criteria.get("ip_hash"):
        signatures = signatures.filter(ip_hash=criteria["ip_hash"])
    if criteria.get("signed_from"):
        signatures = signatures.filter(created_at__gte=criteria["signed_from"])
    if criteria.get("signed_to"):
        signatures = signatures.filter(created_at__lte=criteria["signed_to"])
    if criteria.get("flag") == ANY_FLAG:
        signatures = signatures.suspicious()
    elif criteria.get("flag"):
        signatures = signatures.filter(has_flag(criteria["flag"]))
    if criteria.get("up_to") is not None:
        signatures = signatures.filter(pk__lte=criteria["up_to"])
    return signatures


def local(moment: datetime) -> str:
    return formats.localize(timezone.localtime(moment))


def describe(criteria: dict) -> str:
    """The criteria in words, kept with the batch (in the organiser's language)."""
    parts = []
    if criteria.get("email_domain"):
        parts.append(_("e-mail domain %(domain)s") % {"domain": criteria["email_domain"]})
    if criteria.get("ip_hash"):
        parts.append(_("IP hash %(hash)s") % {"hash": criteria["ip_hash"]})
    if criteria.get("signed_from"):
        parts.append(_("signed from %(when)s") % {"when": local(criteria["signed_from"])})
    if criteria.get("signed_to"):
        parts.append(_("signed until %(when)s") % {"when": local(criteria["signed_to"])})
    if criteria.get("flag") == ANY_FLAG:
        parts.append(_("any flag"))
    elif criteria.get("flag"):
        parts.append(_("flag %(flag)s") % {"flag": criteria["flag"]})
    parts.append(
        _("confirmed and pending") if criteria.get("include_pending") else _("confirmed only")
    )
    return "; ".join(parts)[:500]


@transaction.atomic
def invalidate(
    petition: Petition, criteria: dict, reason: str, user: AbstractBaseUser
) -> tuple[Invalidation, int]:
    """Invalidate what `criteria` match, as one batch; returns it and how many it took."""
    batch = Invalidation.objects.create(
        petition=petition, description=describe(criteria), reason=reason, created_by=user
    )
    taken = matching(petition, criteria)
    ids = list(taken.values_list("pk", flat=True))
    counting.record_signatures(taken, -1)
    count = taken.update(invalidation=batch)
    events.signatures_invalidated.send(Petition, petition=petition, signature_ids=ids)
    return batch, count


@transaction.atomic
def undo(batch: Invalidation) -> int:
    """Count the batch's signatures again and forget the batch; returns how many came back."""
    returning = Signature.objects.filter(invalidation=batch)
    ids = list(returning.values_list("pk", flat=True))
    counting.record_signatures(returning, 1, among_invalidated=True)
    count = returning.update(invalidation=None)
    events.signatures_restored.send(Petition, petition=batch.petition, signature_ids=ids)
    batch.delete()
    return count
