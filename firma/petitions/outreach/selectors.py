"""Reading targets, deliveries and what a target is sent."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from firma.petitions.models import Delivery, DeliveryRecipient, Petition, Signature, Target
from firma.petitions.outreach.tokens import recipient_id


def targets_for(petition: Petition) -> QuerySet[Target]:
    return petition.targets.all()


def targets_with_address(petition: Petition) -> QuerySet[Target]:
    return petition.targets.exclude(email="")


def deliveries_for(petition: Petition) -> QuerySet[Delivery]:
    """The petition's deliveries, oldest first, each with its targets."""
    return petition.deliveries.prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("position", "pk"))
    )


def recipient_for(token: str, salt: str) -> DeliveryRecipient:
    """The target and delivery a private link is for.

    Raises tokens.LinkExpired or tokens.LinkInvalid for a link that is not (or no longer)
    valid, and Http404 when its delivery was deleted.
    """
    found = recipient_id(token, salt)
    return get_object_or_404(
        DeliveryRecipient.objects.select_related("delivery__petition", "target"), pk=found
    )


def signatures_for_targets(petition: Petition) -> QuerySet[Signature]:
    """The signatures a target sees: confirmed, valid and not hidden by a moderator.

    Whether each name is shown is for names_shown() to say.
    """
    return Signature.objects.confirmed().filter(petition=petition, hidden=False)


def names_shown(petition: Petition) -> str:
    """Which signers a target sees by name: "all" (the petition delivers the names of signers
    who are not listed), or "listed" (the others appear as "not listed")."""
    return "all" if petition.deliver_unlisted_names else "listed"
