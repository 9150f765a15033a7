"""A petition's dashboard: where its signatures come from and how fast, for viewers and up.

Every figure is an aggregate query over indexed columns (see Signature.Meta.indexes): no
signature row is loaded, whatever their number. The figures are kept in the cache for
DASHBOARD_CACHE_SECONDS, so that a dashboard left open and reloaded costs little; the labels are
added when the page is drawn, in the reader's language.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncDate, TruncHour
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries.fields import Country

from firma.organiser import access
from firma.organiser.dashboard import charts as charts
from firma.organiser.exports.services import neutralise
from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from firma.tenancy.roles import VIEWER

HOURS = 48
NO_VALUE = ""
MAP = charts.Chart.Kind.MAP


@dataclass
class Figures:
    """What the dashboard shows, as numbers and codes (no labels)."""

    computed_at: datetime
    count: int  # confirmed and valid, from the tallies: the count the public page shows
    signatures: int  # every signature, pending and invalidated too
    confirmed: int  # confirmed, valid or not: the confirmation rate is confirmed / signatures
    pending: int
    invalidated: int
    suspicious: int
    last_hour: int
    by_hour: list[tuple[datetime, int]] = field(default_factory=list)
    by_day: list[tuple[date, int]] = field(default_factory=list)
    by_country: list[tuple[str, int]] = field(default_factory=list)
    by_language: list[tuple[str, int]] = field(default_factory=list)
    by_source: list[tuple[str, int]] = field(default_factory=list)
    by_referrer: list[tuple[str, int]] = field(default_factory=list)

    @property
    def confirmation_rate(self) -> float | None:
        return self.confirmed / self.signatures if self.signatures else None


def grouped(signatures, column: str) -> list[tuple[str, int]]:
    """(value, count) of `column`, largest first."""
    rows = signatures.values_list(column).annotate(n=Count("pk")).order_by()
    return sorted(((value or NO_VALUE, n) for value, n in rows), key=lambda row: (-row[1], row[0]))


def hours(counted, now: datetime) -> list[tuple[datetime, int]]:
    """Confirmations in each of the last HOURS hours, the current one included, gaps as 0."""
    this_hour = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    start = this_hour - timedelta(hours=HOURS - 1)
    rows = (
        counted.filter(confirmed_at__gte=start)
        .annotate(hour=TruncHour("confirmed_at"))
        .values_list("hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {timezone.localtime(hour): n for hour, n in rows}
    every = [start + timedelta(hours=number) for number in range(HOURS)]
    return [(hour, found.get(hour, 0)) for hour in every]


def days(counted, now: datetime) -> list[tuple[date, int]]:
    """Confirmations on each day from the first to today, gaps as 0."""
    rows = (
        counted.annotate(day=TruncDate("confirmed_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {day: n for day, n in rows if day is not None}
    today = timezone.localdate(now)
    first = min(found, default=today)
    every = [first + timedelta(days=number) for number in range((today - first).days + 1)]
    return [(day, found.get(day, 0)) for day in every]


def compute(petition: Petition) -> Figures:
    now = timezone.now()
    signatures = Signature.objects.filter(petition=petition)
    counted = signatures.confirmed()
    totals = signatures.aggregate(
        signatures=Count("pk"),
        confirmed=Count("pk", filter=Q(status=Signature.Status.CONFIRMED)),
    )
    tallies = counting.counts(petition)
    return Figures(
        computed_at=now,
        count=sum(tallies.values()),
        signatures=totals["signatures"],
        confirmed=totals["confirmed"],
        pending=signatures.pending().count(),
        # Through the invalidation batches: few, and their signatures found by index.
        invalidated=Signature.objects.filter(invalidation__petition=petition).count(),
        suspicious=signatures.suspicious().count(),
        last_hour=signatures.filter(created_at__gte=now - timedelta(hours=1)).count(),
        by_hour=hours(counted, now),
        by_day=days(counted, now),
        by_country=sorted(
            ((code, n) for code, n in tallies.items() if n), key=lambda row: (-row[1], row[0])
        ),
        by_language=grouped(counted, "language"),
        by_source=grouped(counted, "source"),
        by_referrer=grouped(counted, "referrer"),
    )


def figures_for(petition: Petition) -> Figures:
    """The figures, at most DASHBOARD_CACHE_SECONDS old."""
    key = f"firma:dashboard:{petition.pk}"
    figures = cache.get(key)
    if figures is None:
        figures = compute(petition)
        seconds = settings.DASHBOARD_CACHE_SECONDS
        cache.set(key, figures, seconds)
    return figures


# The charts, with labels in the reader's language.


def country_label(code: str) -> str:
    return Country(code).name if code else _("Not given")


def language_label(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code)) if code else _("Not given")


def plain_label(value: str) -> str:
    return value or _("None")


def hour_label(moment: datetime) -> str:
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")


def build_charts(figures: Figures) -> list[charts.Chart]:
    def rows(pairs, label) -> list[tuple[str, str, int]]:
        return [(str(key), label(key), n) for key, n in pairs]

    hourly = [(hour.isoformat(), hour_label(hour), n) for hour, n in figures.by_hour]
    daily = [(day.isoformat(), formats.date_format(day), n) for day, n in figures.by_day]
    return [
        charts.Chart(
            "hours",
            _("Signatures confirmed by hour, last 48 hours"),
            _("hour"),
            hourly,
            charts.Chart.Kind.TIME,
        ),
        charts.Chart(
            "days",
            _("Signatures confirmed by day"),
            _("day"),
            daily,
            charts.Chart.Kind.TIME,
        ),
        charts.Chart(
            "countries",
            _("Signatures by country"),
            _("country"),
            rows(figures.by_country, country_label),
            charts.Chart.Kind.MAP,
        ),
        charts.Chart(
            "languages",
            _("Signatures by language"),
            _("language"),
            rows(figures.by_language, language_label),
        ),
        charts.Chart(
            "sources",
            _("Signatures by source tag"),
            _("source"),
            rows(figures.by_source, plain_label),
        ),
        charts.Chart(
            "referrers",
            _("Signatures by referring site"),
            _("referring site"),
            rows(figures.by_referrer, plain_label),
        ),
    ]


@require_safe
def dashboard_view(request: HttpRequest, object_id: str) -> HttpResponse:
    petition = access.petition_for(request, object_id, VIEWER)
    figures = figures_for(petition)
    context = access.context(
        request,
        petition,
        _("Dashboard"),
        figures=figures,
        rate=figures.confirmation_rate,
        charts=[
            (chart, charts.render(chart), charts.legend(chart) if chart.kind == MAP else [])
            for chart in build_charts(figures)
        ],
    )
    return render(request, "organiser/dashboard.html", context)


@require_safe
def chart_csv_view(request: HttpRequest, object_id: str, chart: str) -> HttpResponse:
    petition = access.petition_for(request, object_id, VIEWER)
    found = {each.name: each for each in build_charts(figures_for(petition))}
    if chart not in found:
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([found[chart].key_header, _("label"), _("signatures")])
    for key, label, value in found[chart].rows:
        writer.writerow([neutralise(key), neutralise(label), value])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{petition.slug}-{chart}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
