"""The endorsements of a petition, as its organisers review them."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from firma.petitions.models import Petition, Signature

# The most endorsements each part of the page lists.
SHOWN = 500


@dataclass
class Review:
    to_verify: list[Signature]
    verified: list[Signature]
    declined: list[Signature]
    unconfirmed: int


def review(petition: Petition) -> Review:
    """Confirmed endorsements by verdict, oldest waiting first; the unconfirmed only counted."""
    confirmed = petition.signatures.confirmed().endorsements().select_related("petition")
    verdicts = Signature.Verification
    return Review(
        to_verify=list(
            confirmed.filter(verification=verdicts.PENDING).order_by("confirmed_at")[:SHOWN]
        ),
        verified=list(confirmed.filter(verification=verdicts.VERIFIED).order_by("-pk")[:SHOWN]),
        declined=list(confirmed.filter(verification=verdicts.DECLINED).order_by("-pk")[:SHOWN]),
        unconfirmed=petition.signatures.pending().endorsements().count(),
    )


def endorsement_of(petition: Petition, signature_id: int) -> Signature:
    """A confirmed endorsement of `petition` (404 otherwise)."""
    return get_object_or_404(
        Signature.objects.confirmed().endorsements().select_related("petition"),
        pk=signature_id,
        petition=petition,
    )
