"""The public signer list and the index go only so deep: a deep page costs what the first does."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from firma.petitions import counting
from firma.petitions.models import Petition
from tests.conftest import make_petition, url
from tests.organiser.conftest import add

pytestmark = pytest.mark.django_db


def offsets(queries) -> list[int]:
    return [int(n) for q in queries for n in re.findall(r"OFFSET (\d+)", q["sql"])]


def test_the_signer_list_stops_at_its_deepest_page(client, petition, settings):
    settings.SIGNERS_PER_PAGE = 2
    settings.SIGNER_LIST_MAX_PAGES = 3
    for number in range(10):
        add(petition, f"Listed {number}", f"l{number}@example.org", public=True)
    counting.reconcile()
    page = url("petitions:detail", slug=petition.slug)
    first = client.get(page).text
    assert "Page 1 of 3" in first
    with CaptureQueriesContext(connection) as queries:
        deep = client.get(page, {"page": "100000"}).text
    assert "Page 3 of 3" in deep
    assert "Only the most recent signers are listed here." in deep
    assert max(offsets(queries.captured_queries), default=0) <= 4
    assert "Listed 5" in deep  # the sixth newest: the last one shown
    assert "Listed 3" not in deep


def test_a_short_list_says_nothing_about_a_limit(client, petition, settings):
    settings.SIGNERS_PER_PAGE = 2
    for number in range(3):
        add(petition, f"Listed {number}", f"l{number}@example.org", public=True)
    counting.reconcile()
    page = client.get(url("petitions:detail", slug=petition.slug), {"page": "2"}).text
    assert "Page 2 of 2" in page
    assert "Only the most recent" not in page


def test_the_index_is_paginated_and_capped(client, settings):
    settings.PETITIONS_PER_PAGE = 2
    settings.PETITION_INDEX_MAX_PAGES = 2
    for number in range(6):
        make_petition(slug=f"p{number}", texts={"en": (f"Petition number {number}", "Text.")})
    Petition.objects.filter(slug="p5").update(status=Petition.Status.DRAFT)
    first = client.get(url("petitions:index")).text
    assert "Petition number 4" in first and "Petition number 3" in first
    assert "Page 1 of 2" in first
    with CaptureQueriesContext(connection) as queries:
        deep = client.get(url("petitions:index"), {"page": "999"}).text
    assert "Page 2 of 2" in deep
    assert "Petition number 2" in deep and "Petition number 1" in deep
    assert "Petition number 0" not in deep
    assert max(offsets(queries.captured_queries), default=0) <= 2
