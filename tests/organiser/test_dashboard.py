"""The dashboard: its numbers agree with a recount of the signatures, as page, SVG and CSV."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from firma.petitions import counting
from firma.petitions.models import Invalidation, Signature
from firma.tenancy.models import Membership

from .conftest import add, as_member

pytestmark = pytest.mark.django_db

CHARTS = ["hours", "days", "countries", "languages", "sources", "referrers"]


@pytest.fixture(autouse=True)
def fresh_dashboard(settings):
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def signatures(petition_a):
    """A mix: confirmed now and days ago, pending, invalidated, flagged, from several places."""
    now = timezone.now()
    made = []
    for number in range(7):
        made.append(
            add(
                petition_a,
                f"Signer {number}",
                f"signer{number}@example.org",
                country="PT" if number < 4 else "BR",
                language="pt" if number % 2 else "en",
                source="newsletter" if number < 3 else "",
                referrer="social.example" if number in (0, 5) else "",
                created_at=now - timedelta(days=number),
                confirmed_at=now - timedelta(days=number, minutes=-5),
            )
        )
    made.append(add(petition_a, "Pending", "pending@example.org", status="pending"))
    made.append(add(petition_a, "Flagged", "flag@example.org", country="FR", flags="too_fast"))
    invalid = add(petition_a, "Invalid", "invalid@example.org", country="DE", source="newsletter")
    batch = Invalidation.objects.create(petition=petition_a, description="test")
    Signature.objects.filter(pk=invalid.pk).update(invalidation=batch)
    counting.reconcile()
    return made


def recount(petition, **filters) -> int:
    return Signature.objects.confirmed().filter(petition=petition, **filters).count()


def csv_rows(client, petition, chart: str) -> list[list[str]]:
    response = client.get(f"/admin/petitions/petition/{petition.pk}/dashboard/{chart}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))[1:]


def test_the_numbers_agree_with_a_recount(client, org_a, petition_a, signatures):
    viewer = as_member(client, org_a, Membership.Role.VIEWER)
    page = viewer.get(f"/admin/petitions/petition/{petition_a.pk}/dashboard/")
    assert page.status_code == 200
    figures = page.context["figures"]
    assert figures.count == recount(petition_a) == 8
    assert figures.signatures == Signature.objects.filter(petition=petition_a).count() == 10
    assert figures.confirmed == 9  # the invalidated one was confirmed too
    assert figures.pending == 1
    assert figures.invalidated == 1
    assert figures.suspicious == 1
    assert figures.last_hour == 4  # signer 0, pending, flagged, invalid: signed just now
    assert "90&nbsp;%" in page.text  # 9 of 10 confirmed

    countries = {code: int(n) for code, _, n in csv_rows(viewer, petition_a, "countries")}
    assert countries == {"PT": 4, "BR": 3, "FR": 1}
    for code, n in countries.items():
        assert n == recount(petition_a, country=code)
    sources = {key: int(n) for key, _, n in csv_rows(viewer, petition_a, "sources")}
    assert sources == {"newsletter": 3, "": 5}
    referrers = {key: int(n) for key, _, n in csv_rows(viewer, petition_a, "referrers")}
    assert referrers == {"social.example": 2, "": 6}
    languages = {key: int(n) for key, _, n in csv_rows(viewer, petition_a, "languages")}
    assert languages == {"en": recount(petition_a, language="en"), "pt": 3}

    days = csv_rows(viewer, petition_a, "days")
    assert len(days) == 7  # from the first confirmation to today, empty days included
    assert sum(int(n) for _, _, n in days) == recount(petition_a)
    assert days[-1][0] == timezone.localdate().isoformat()
    hours = csv_rows(viewer, petition_a, "hours")
    assert len(hours) == 48
    assert sum(int(n) for _, _, n in hours) == recount(
        petition_a, confirmed_at__gte=timezone.now() - timedelta(hours=47)
    )


def test_charts_are_accessible_svg_with_a_table(client_a, petition_a, signatures):
    page = client_a.get(f"/admin/petitions/petition/{petition_a.pk}/dashboard/").text
    for chart in CHARTS:
        assert f'aria-labelledby="chart-{chart}-title chart-{chart}-desc"' in page
        assert f'<title id="chart-{chart}-title">' in page
        assert f"/dashboard/{chart}.csv" in page
    assert page.count("<table") >= len(CHARTS)
    assert "<script" not in page.split('id="content-main"')[1].split("</main>")[0]
    # The map colours the countries with signatures, darkest for the most.
    portugal = re.search(r'<path d="[^"]+" fill="(#[0-9a-f]+)"[^>]*><title>Portugal: 4', page)
    france = re.search(r'<path d="[^"]+" fill="(#[0-9a-f]+)"[^>]*><title>France: 1', page)
    spain = re.search(r'<path d="[^"]+" fill="(#[0-9a-f]+)"[^>]*><title>Spain</title>', page)
    assert portugal and france and spain
    assert portugal[1] == "#08519c"
    assert france[1] == "#deebf7"
    assert spain[1] == "#e5e5e5"


def test_csv_cells_cannot_run_as_formulas(client_a, petition_a):
    add(petition_a, "Eve", "eve@example.org", source="=HYPERLINK(1)", referrer="@evil")
    counting.reconcile()
    rows = csv_rows(client_a, petition_a, "sources") + csv_rows(client_a, petition_a, "referrers")
    keys = [key for key, _, _ in rows]
    assert "'=HYPERLINK(1)" in keys
    assert "'@evil" in keys


def test_an_unknown_chart_is_not_found(client_a, petition_a):
    url = f"/admin/petitions/petition/{petition_a.pk}/dashboard/nothing.csv"
    assert client_a.get(url).status_code == 404


def test_the_figures_are_cached_for_a_while(settings, client_a, petition_a, signatures):
    settings.DASHBOARD_CACHE_SECONDS = 60
    url = f"/admin/petitions/petition/{petition_a.pk}/dashboard/"
    assert client_a.get(url).context["figures"].count == 8
    add(petition_a, "Late", "late@example.org")
    counting.reconcile()
    assert client_a.get(url).context["figures"].count == 8
    settings.DASHBOARD_CACHE_SECONDS = 0
    cache.delete(f"firma:dashboard:{petition_a.pk}")
    assert client_a.get(url).context["figures"].count == 9


def test_the_queries_do_not_grow_with_the_signatures(client_a, petition_a, signatures):
    url = f"/admin/petitions/petition/{petition_a.pk}/dashboard/"
    with CaptureQueriesContext(connection) as few:
        client_a.get(url)
    Signature.objects.bulk_create(
        Signature(
            petition=petition_a,
            full_name=f"Bulk {n}",
            email=f"bulk{n}@example.org",
            language="en",
            status="confirmed",
            confirmed_at=timezone.now(),
            country="ES",
        )
        for n in range(300)
    )
    counting.reconcile()
    with CaptureQueriesContext(connection) as many:
        page = client_a.get(url)
    assert page.context["figures"].count == 308
    assert len(many) == len(few)
    # Aggregates only: no query selects the signers' columns.
    assert not any("full_name" in query["sql"] for query in many.captured_queries)


def test_the_dashboard_is_linked_from_the_petition_and_the_index(client_a, petition_a):
    dashboard = f"/admin/petitions/petition/{petition_a.pk}/dashboard/"
    assert dashboard in client_a.get(f"/admin/petitions/petition/{petition_a.pk}/change/").text
    assert dashboard in client_a.get("/admin/").text
