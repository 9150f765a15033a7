"""What is trending among a petition's signatures: fraud shows itself as a rise.

For the last hour and the last day, the signatures stored (confirmed or not, the attempts that
passed the signing defences) and the attempts the defences refused (petitions.defences.refusals:
a flood stopped by the rate limits stores nothing) are grouped by IP hash, e-mail domain, country
and source, and each group is set against its usual rate: its share of the week before the
window, scaled to the window. A group far above its usual rate is a trend; one past
TREND_ALERT_MIN_SIGNATURES (signatures and refused attempts together) and
TREND_ALERT_RATIO in the last hour is e-mailed to the petition's moderators, once per
TREND_ALERT_QUIET_SECONDS and per group, in one e-mail per petition.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from firma.core import periodic
from firma.petitions.defences import refusals
from firma.petitions.models import Petition
from firma.tenancy.models import Membership
from firma.tenancy.roles import MODERATOR, RANKS

logger = logging.getLogger("firma.trends")

DIMENSIONS = {
    "ip_hash": _("IP hash"),
    "email_domain": _("E-mail domain"),
    "country": _("Country"),
    "source": _("Source"),
}
# The signatures list's filter of each dimension (SignatureAdmin.list_filter).
LIST_PARAMETERS = {"country": "country__exact", "source": "source__exact"}
WINDOWS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}
BASELINE = timedelta(days=7)
TOP = 10
INTERVAL = timedelta(minutes=10)


@dataclass(frozen=True)
class Trend:
    dimension: str
    value: str
    count: int
    usual: float | None  # the count expected in the window at the usual rate; None: no history
    since: datetime
    refused: int = 0  # attempts the signing defences refused

    @property
    def attempts(self) -> int:
        return self.count + self.refused

    @property
    def ratio(self) -> float:
        return self.attempts / max(self.usual or 0, 1)

    @property
    def label(self) -> str:
        return str(DIMENSIONS[self.dimension])

    def signatures_url(self, petition: Petition) -> str:
        """The matching signatures in the signatures list, where they can be hidden."""
        parameter = {"country": "country__exact", "source": "source__exact"}.get(
            self.dimension, self.dimension
        )
        query = {"petition__id__exact": petition.pk, parameter: self.value}
        return reverse("admin:petitions_signature_changelist") + "?" + urlencode(query)

    def invalidate_url(self, petition: Petition) -> str | None:
        """The bulk invalidation, pre-filled, for what it can select by."""
        if self.dimension not in ("ip_hash", "email_domain"):
            return None
        local = timezone.localtime(self.since).strftime("%Y-%m-%dT%H:%M")
        query = {
            self.dimension: self.value,
            "signed_from": local,
            "include_pending": "on",
            "preview": "1",
        }
        url = reverse("admin:petitions_petition_invalidate", args=[petition.pk])
        return url + "?" + urlencode(query)


def trends(petition: Petition, window: str, now: datetime | None = None) -> list[Trend]:
    """The largest groups of each dimension in `window`, most unusual first."""
    now = now or timezone.now()
    since = now - WINDOWS[window]
    history_start = max(since - BASELINE, petition.created_at)
    history = max((since - history_start).total_seconds(), 0)
    signatures = petition.signatures.all()
    found = []
    for dimension in DIMENSIONS:
        recent = (
            signatures.filter(created_at__gte=since)
            .exclude(**{dimension: ""})
            .values_list(dimension)
            .annotate(n=Count("id"))
            .order_by("-n")[:TOP]
        )
        counts = dict(recent)
        refused = refusals.counts(petition, dimension, since.timestamp(), now.timestamp())
        values = [*counts, *(value for value, _ in refused.most_common(TOP) if value not in counts)]
        before = dict(
            signatures.filter(
                created_at__gte=history_start,
                created_at__lt=since,
                **{f"{dimension}__in": values},
            )
            .values_list(dimension)
            .annotate(n=Count("id"))
            .order_by()
        )
        scale = WINDOWS[window].total_seconds() / history if history else None
        for value in values:
            usual = before.get(value, 0) * scale if scale is not None else None
            found.append(
                Trend(dimension, value, counts.get(value, 0), usual, since, refused.get(value, 0))
            )
    return sorted(found, key=lambda trend: (-trend.ratio, -trend.attempts))


def alarming(petition: Petition, now: datetime | None = None) -> list[Trend]:
    """Trends of the last hour past the alert thresholds."""
    return [
        trend
        for trend in trends(petition, "hour", now)
        if trend.attempts >= settings.TREND_ALERT_MIN_SIGNATURES
        and trend.ratio >= settings.TREND_ALERT_RATIO
    ]


def moderators(petition: Petition) -> list:
    roles = [role for role, rank in RANKS.items() if rank >= RANKS[MODERATOR]]
    ids = Membership.objects.filter(
        organisation_id=petition.organisation_id, role__in=roles
    ).values("user_id")
    users = get_user_model().objects.filter(pk__in=ids, is_active=True).exclude(email="")
    return list(users.order_by("pk"))


def new_alarms(petition: Petition, now: datetime | None = None) -> list[Trend]:
    """The alarming trends not reported within TREND_ALERT_QUIET_SECONDS."""
    quiet = settings.TREND_ALERT_QUIET_SECONDS
    return [
        trend
        for trend in alarming(petition, now)
        if cache.add(f"trend-alert:{petition.pk}:{trend.dimension}:{trend.value}", 1, quiet)
    ]


def alert_email(petition: Petition, found: list[Trend], user) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        page = reverse("admin:petitions_petition_trends", args=[petition.pk])
        context = {
            "user": user,
            "petition": petition,
            "text": petition.text_for(petition.default_language),
            "trends": [
                (trend, settings.BASE_URL + trend.signatures_url(petition)) for trend in found
            ],
            "trends_url": settings.BASE_URL + page,
        }
        subject = render_to_string("organiser/email/trend_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("organiser/email/trend.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("organiser/email/trend.html", context), "text/html"
        )
    return message


def alert(now: datetime | None = None) -> int:
    """One e-mail per moderator and petition with new alarming trends; the number sent."""
    sent = 0
    for petition in Petition.objects.open().exclude(organisation=None).order_by("pk"):
        found = new_alarms(petition, now)
        for user in moderators(petition) if found else []:
            try:
                alert_email(petition, found, user).send()
                sent += 1
            except (smtplib.SMTPException, OSError) as error:
                logger.warning("Trend alert to user %s failed: %s", user.pk, error)
    return sent


@task()
def check_trends() -> None:
    """Look for alarming trends, then queue the next look."""
    try:
        alert()
    finally:
        periodic.schedule(check_trends, run_after=timezone.now() + INTERVAL)


PERIODIC = [check_trends]
