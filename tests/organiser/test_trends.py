"""Fraud that shows itself: what is trending among a petition's signatures, with links to act on
each group, and one e-mail to the moderators when a group passes the alert thresholds."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from firma.core.clients import ip_hash, parse_ip
from firma.organiser.moderation import trends
from firma.petitions.models import Petition, Signature
from firma.tenancy.models import Membership
from tests.conftest import sign

from .conftest import add, member

pytestmark = pytest.mark.django_db

BOT_IP = "f" * 32


def trends_page(petition: Petition) -> str:
    return f"/admin/petitions/petition/{petition.pk}/trends/"


@pytest.fixture
def flooded(petition_a) -> Petition:
    """A week of quiet signing, then 60 signatures in half an hour from one network."""
    now = timezone.now()
    Petition.objects.filter(pk=petition_a.pk).update(created_at=now - timedelta(days=8))
    petition_a.refresh_from_db()
    for day in range(1, 8):
        add(
            petition_a,
            f"Usual {day}",
            f"usual{day}@mail.example",
            created_at=now - timedelta(days=day),
            country="BR",
            ip_hash=f"{day:032x}",
        )
    for number in range(60):
        add(
            petition_a,
            f"Bot {number}",
            f"bot{number}@bots.example",
            status=Signature.Status.PENDING,
            created_at=now - timedelta(minutes=number % 30),
            country="BR",
            ip_hash=BOT_IP,
            source="spam",
        )
    return petition_a


def test_the_last_hour_shows_the_rise_against_the_usual_rate(flooded):
    found = {(t.dimension, t.value): t for t in trends.trends(flooded, "hour")}
    bots = found[("email_domain", "bots.example")]
    assert bots.count == 60
    assert bots.usual == 0
    assert found[("ip_hash", BOT_IP)].count == 60
    brazil = found[("country", "BR")]
    assert brazil.usual == pytest.approx(7 / (7 * 24))
    assert brazil.ratio == 60  # below one usual signature: compared with one
    day = {(t.dimension, t.value): t for t in trends.trends(flooded, "day")}
    assert day[("country", "BR")].count == 60


def test_moderators_see_the_trends_with_links_to_act(client, org_a, flooded):
    client.force_login(member(org_a, Membership.Role.MODERATOR, "mod"))
    page = client.get(trends_page(flooded))
    assert page.status_code == 200
    html = page.text
    assert "bots.example" in html and BOT_IP in html and "spam" in html
    listing = f"?petition__id__exact={flooded.pk}&amp;email_domain=bots.example"
    assert "/admin/petitions/signature/" + listing in html
    assert f"/admin/petitions/petition/{flooded.pk}/invalidate/?ip_hash={BOT_IP}" in html
    # The links work: the list holds the group's signatures, the invalidation previews them.
    listed = client.get(
        "/admin/petitions/signature/",
        {"petition__id__exact": flooded.pk, "source__exact": "spam"},
    ).text
    assert "60 signatures" in listed
    link = re.findall(r'href="([^"]*/invalidate/\?email_domain[^"]*)"', html)[0]
    preview = client.get(link.replace("&amp;", "&"))
    assert preview.status_code == 200
    form = preview.context["form"]
    assert form.is_valid(), form.errors
    assert preview.context["preview"] is not None, preview.context["preview"]
    assert "60 signatures would be invalidated" in preview.text


def test_viewers_do_not_see_the_trends(client, org_a, flooded):
    client.force_login(member(org_a, Membership.Role.VIEWER, "viewer"))
    assert client.get(trends_page(flooded)).status_code == 403


def test_one_alert_email_per_petition_not_per_signature(mailbox, org_a, flooded, settings):
    settings.TREND_ALERT_MIN_SIGNATURES = 50
    settings.TREND_ALERT_RATIO = 10
    moderator = member(org_a, Membership.Role.MODERATOR, "mod")
    member(org_a, Membership.Role.VIEWER, "viewer")
    trends.check_trends.call()
    [message] = mailbox.messages
    assert message["To"] == moderator.email
    assert "Unusual signing" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "bots.example" in text and BOT_IP in text and "spam" in text
    assert "Usual" not in text
    assert message.get_body(("html",)) is not None
    # More of the same: nothing new to say until the quiet time has passed.
    add(flooded, "Bot again", "again@bots.example", ip_hash=BOT_IP, source="spam")
    trends.check_trends.call()
    assert len(mailbox.messages) == 1


def test_no_alert_below_the_thresholds(mailbox, org_a, flooded, settings):
    settings.TREND_ALERT_MIN_SIGNATURES = 100
    member(org_a, Membership.Role.MODERATOR, "mod")
    trends.check_trends.call()
    assert mailbox.messages == []


def flood(client, petition: Petition, attempts: int = 16) -> str:
    """Sign POSTs from one network, past its burst limit; its IP hash."""
    answers = [
        sign(client, petition, REMOTE_ADDR="203.0.113.9", email=f"f{n}@flood.example", source="x")
        for n in range(attempts)
    ]
    assert [answer.status_code for answer in answers].count(429) == attempts - 10
    return ip_hash(parse_ip("203.0.113.9"))


def test_attempts_refused_by_the_defences_show_in_the_trends(client, org_a, petition_a):
    flooder = flood(client, petition_a)
    sign(client, petition_a, REMOTE_ADDR="198.51.100.7", full_name="", email="x@junk.example")
    found = {(t.dimension, t.value): t for t in trends.trends(petition_a, "hour")}
    assert (found[("ip_hash", flooder)].count, found[("ip_hash", flooder)].refused) == (10, 6)
    assert found[("email_domain", "flood.example")].refused == 6
    assert found[("source", "x")].attempts == 16
    junk = found[("email_domain", "junk.example")]
    assert (junk.count, junk.refused) == (0, 1)  # invalid: refused, nothing stored
    client.force_login(member(org_a, Membership.Role.MODERATOR, "mod"))
    page = client.get(trends_page(petition_a)).text
    assert "Refused attempts" in page and "junk.example" in page


def test_a_flood_stopped_by_the_rate_limits_alerts_the_moderators(
    client, mailbox, org_a, petition_a, settings
):
    settings.TREND_ALERT_MIN_SIGNATURES = 15
    settings.TREND_ALERT_RATIO = 10
    member(org_a, Membership.Role.MODERATOR, "mod")
    flooder = flood(client, petition_a, attempts=30)
    Signature.objects.all().delete()  # only the refused attempts are left to see
    trends.check_trends.call()
    [message] = mailbox.messages
    text = message.get_body(("plain",)).get_content()
    assert flooder in text and "20 refused attempts" in text
