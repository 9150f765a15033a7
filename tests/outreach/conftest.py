"""A petition of organisation A addressed to two targets, delivered to them, with signers
who asked for news and signers who must never be e-mailed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from firma.petitions import counting
from firma.petitions.models import Delivery, Invalidation, Petition, Response, Signature, Target
from tests.conftest import make_petition
from tests.organiser import conftest as organiser
from tests.organiser.conftest import add, as_member

__all__ = ["add", "as_member"]

# The organisations, their members and B's petition, as the organiser's tests have them.
org_a, org_b, petition_b = organiser.org_a, organiser.org_b, organiser.petition_b
petition_a = organiser.petition_a
editor_a, client_a = organiser.editor_a, organiser.client_a


@pytest.fixture
def petition(org_a) -> Petition:
    return make_petition(
        slug="water-a",
        organisation=org_a,
        texts={"en": ("Water for A", "Text of A."), "es": ("Agua para A", "Texto de A.")},
        response_days=14,
    )


@pytest.fixture
def minister(petition) -> Target:
    return Target.objects.create(
        petition=petition,
        name="Rosa Rivera",
        role="Minister of Water",
        role_translations={"es": "Ministra del Agua"},
        email="minister@gov.example",
        position=0,
    )


@pytest.fixture
def mayor(petition) -> Target:
    return Target.objects.create(
        petition=petition, name="Tom Town", role="Mayor", email="mayor@town.example", position=1
    )


def deliver(petition: Petition, targets: list[Target], days_ago: int = 1) -> Delivery:
    delivery = Delivery.objects.create(
        petition=petition,
        method=Delivery.Method.EMAIL,
        delivered_at=timezone.now() - timedelta(days=days_ago),
        signature_count=counting.total(petition),
    )
    delivery.targets.set(targets)
    return delivery


def answer(petition: Petition, target: Target, text: str, **fields) -> Response:
    """A response as the target's private link stores it: pending."""
    fields.setdefault("language", "en")
    fields.setdefault("source", Response.Source.LINK)
    return Response.objects.create(petition=petition, target=target, text=text, **fields)


@pytest.fixture
def delivery(petition, minister, mayor) -> Delivery:
    return deliver(petition, [minister, mayor], days_ago=3)


@pytest.fixture
def pending(petition, minister, delivery) -> Response:
    return answer(
        petition,
        minister,
        "We will fund **clean water** in every school.<script>alert(1)</script>",
        delivery=delivery,
    )


@pytest.fixture
def signers(petition, petition_b) -> dict[str, Signature]:
    batch = Invalidation.objects.create(petition=petition, description="fakes")
    people = {
        "ana": add(petition, "Ana", "ana@example.org", news_opt_in=True, language="en"),
        "berta": add(petition, "Berta", "berta@example.org", news_opt_in=True, language="es"),
        "chloé": add(petition, "Chloé", "chloe@example.org", news_opt_in=True, language="fr"),
        "no-news": add(petition, "Dan", "dan@example.org", news_opt_in=False),
        "pending": add(
            petition, "Eve", "eve@example.org", news_opt_in=True, status=Signature.Status.PENDING
        ),
        "fake": add(petition, "Fake", "fake@example.org", news_opt_in=True, invalidation=batch),
        "other-petition": add(petition_b, "Gil", "gil@example.org", news_opt_in=True),
    }
    counting.reconcile()
    return people


RECIPIENTS = ["ana@example.org", "berta@example.org", "chloe@example.org"]


def admin_url(petition: Petition, view: str = "responses/") -> str:
    return f"/admin/petitions/petition/{petition.pk}/{view}"
