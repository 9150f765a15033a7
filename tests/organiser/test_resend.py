"""Resending confirmation links in bulk: the number first, then the e-mails; editors only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from firma.petitions.models import Signature
from firma.tenancy.models import Membership
from tests.conftest import confirmation_path, run_worker, sign
from tests.organiser.conftest import as_member

pytestmark = pytest.mark.django_db(transaction=True)


def resend_url(petition) -> str:
    return reverse("admin:petitions_petition_resend", args=[petition.pk])


def period(days_ago: int = 1) -> dict:
    today = timezone.localdate()
    return {"since": str(today - timedelta(days=days_ago)), "until": str(today)}


@pytest.fixture
def pending(client, petition_a, mailbox):
    """Two signers of A, one of whom confirmed, their links sent an hour and a half ago."""
    sign(client, petition_a, email="ana@example.org")
    sign(client, petition_a, email="bo@example.org", REMOTE_ADDR="10.0.0.2")
    run_worker()
    client.post(confirmation_path(mailbox.to("bo@example.org")[0]))
    Signature.objects.update(emailed_at=timezone.now() - timedelta(minutes=90))
    return mailbox


def test_the_number_is_shown_before_anything_is_sent(client, org_a, petition_a, pending):
    as_member(client, org_a, Membership.Role.EDITOR)
    page = client.get(resend_url(petition_a), period())
    assert page.status_code == 200
    assert "1 pending signer would get the link again." in page.text
    run_worker()
    assert len(pending.messages) == 2  # the GET sent nothing

    response = client.post(resend_url(petition_a), period())
    assert response.status_code == 302
    run_worker()
    again = pending.to("ana@example.org")
    assert len(again) == 2
    assert client.post(confirmation_path(again[1])).status_code == 302
    assert Signature.objects.pending().count() == 0
    assert pending.to("bo@example.org")[1:] == []  # confirmed: nothing more


def test_a_resend_respects_the_hourly_cool_down(client, org_a, petition_a, pending):
    as_member(client, org_a, Membership.Role.EDITOR)
    client.post(resend_url(petition_a), period())
    client.post(resend_url(petition_a), period())
    run_worker()
    assert len(pending.to("ana@example.org")) == 2
    assert "0 pending signers would get" in client.get(resend_url(petition_a), period()).text


def test_signers_outside_the_period_are_left_alone(client, org_a, petition_a, pending):
    Signature.objects.update(created_at=timezone.now() - timedelta(days=5))
    as_member(client, org_a, Membership.Role.EDITOR)
    assert "0 pending signers" in client.get(resend_url(petition_a), period()).text


def test_a_period_that_ends_before_it_starts_is_refused(client, org_a, petition_a):
    as_member(client, org_a, Membership.Role.EDITOR)
    today = timezone.localdate()
    data = {"since": str(today), "until": str(today - timedelta(days=2))}
    page = client.get(resend_url(petition_a), data)
    assert page.status_code == 400
    assert "must end after it starts" in page.text


@pytest.mark.parametrize("role", [Membership.Role.VIEWER, Membership.Role.MODERATOR])
def test_only_editors_and_above_may_resend(client, org_a, petition_a, role):
    as_member(client, org_a, role)
    assert client.get(resend_url(petition_a), period()).status_code == 403
    assert client.post(resend_url(petition_a), period()).status_code == 403


def test_another_organisations_petition_is_not_found(client, org_b, petition_a):
    as_member(client, org_b, Membership.Role.OWNER)
    assert client.get(resend_url(petition_a), period()).status_code == 404


def test_the_petition_page_links_to_the_tool(client, org_a, petition_a):
    as_member(client, org_a, Membership.Role.EDITOR)
    page = client.get(reverse("admin:petitions_petition_change", args=[petition_a.pk]))
    assert resend_url(petition_a) in page.text
