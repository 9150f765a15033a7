"""The public list of signers: newest first, paginated, only those who chose to be listed."""

import pytest
from django.utils import timezone

from firma.petitions import counting
from firma.petitions.models import Signature
from tests.conftest import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def signers(petition):
    now = timezone.now()
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            full_name=f"Signer {number:02d}",
            email=f"signer{number}@example.org",
            country="AR" if number % 2 else "CL",
            language="en",
            public=True,
            status=Signature.Status.CONFIRMED,
            confirmed_at=now - timezone.timedelta(minutes=number),
        )
        for number in range(1, 26)
    )
    counting.reconcile()


def page(client, petition, query: str = "") -> str:
    response = client.get(url("petitions:detail", slug=petition.slug) + query)
    assert response.status_code == 200
    return response.text


def test_the_newest_signers_come_first_twenty_to_a_page(client, petition, signers):
    first = page(client, petition)
    assert "Signer 01" in first
    assert "Signer 20" in first
    assert "Signer 21" not in first
    assert "Page 1 of 2" in first
    second = page(client, petition, "?page=2")
    assert "Signer 21" in second
    assert "Signer 25" in second
    assert "Signer 01" not in second


@pytest.mark.parametrize("query", ["?page=abc", "?page=-1", "?page=99999999999999999999", "?page="])
def test_any_page_number_gives_a_page(client, petition, signers, query):
    assert "Signer" in page(client, petition, query)


def test_counts_by_country_largest_first(client, petition, signers):
    text = page(client, petition)
    table = text[text.index('id="countries"') :]
    assert table.index("Argentina") < table.index("Chile")
    assert "<td>Argentina</td><td>13</td>" in table
    assert "<td>Chile</td><td>12</td>" in table
