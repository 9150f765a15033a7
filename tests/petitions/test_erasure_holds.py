"""Erasure that holds: a reopened petition's new signers are erased in turn, unconfirmed
signatures go once their link has expired, and the admin's log keeps no signer's name."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from firma.petitions import retention
from firma.petitions.models import Petition, Signature
from firma.petitions.tokens import confirmation_token, self_service_token
from tests.conftest import make_petition, sign, url

pytestmark = pytest.mark.django_db


def confirm(client, signature: Signature) -> None:
    path = url(
        "petitions:confirm", slug=signature.petition.slug, token=confirmation_token(signature)
    )
    assert client.post(path).status_code == 302


def signed(client, petition: Petition, email: str, name: str = "Reopened Signer") -> Signature:
    response = sign(client, petition, email=email, full_name=name)
    assert response.status_code == 302
    return petition.signatures.get(email=email)


def close_long_ago(petition: Petition) -> None:
    closed_at = timezone.now() - timedelta(days=petition.retention_days + 1)
    Petition.objects.filter(pk=petition.pk).update(status="closed", closed_at=closed_at)


def test_a_reopened_petition_erases_its_new_signers_in_turn(client):
    petition = make_petition(slug="again", retention_days=30)
    first = signed(client, petition, "first@example.org", "First Signer")
    confirm(client, first)
    close_long_ago(petition)
    assert [e.petition for e in retention.anonymise_expired()] == [petition]

    # Reopened (by its status, as the admin and the API do it) and signed again.
    petition.refresh_from_db()
    petition.change_status(Petition.Status.OPEN)
    petition.save()
    second = signed(client, petition, "second@example.org", "Second Signer")
    confirm(client, second)
    waiting = signed(client, petition, "waiting@example.org", "Waiting Signer")
    assert retention.anonymise_expired() == []  # open: nothing is due

    petition.refresh_from_db()
    petition.change_status(Petition.Status.CLOSED)
    petition.save()
    assert retention.anonymise_expired() == []  # closed, but not for its retention period
    close_long_ago(petition)
    [erasure] = retention.anonymise_expired()
    assert (erasure.anonymised, erasure.deleted) == (1, 1)
    second.refresh_from_db()
    assert (second.full_name, second.email, second.anonymised_at is not None) == ("", "", True)
    assert not Signature.objects.filter(pk=waiting.pk).exists()
    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert "Second Signer" not in page
    assert retention.anonymise_expired() == []  # and it stays erased


def test_a_later_closing_day_reopens_and_is_erased_again(client):
    today = timezone.localdate()
    petition = make_petition(slug="dated", retention_days=5, closes_on=today - timedelta(days=7))
    retention.anonymise_expired()
    Petition.objects.filter(pk=petition.pk).update(closes_on=today + timedelta(days=3))
    petition.refresh_from_db()
    late = signed(client, petition, "late@example.org", "Late Signer")
    confirm(client, late)
    Petition.objects.filter(pk=petition.pk).update(closes_on=today - timedelta(days=6))
    [erasure] = retention.anonymise_expired()
    assert erasure.anonymised == 1
    late.refresh_from_db()
    assert late.full_name == ""


def test_unconfirmed_signatures_go_once_their_link_has_expired(client, settings):
    petition = make_petition(slug="open-long", retention_days=30)
    stale = signed(client, petition, "stale@example.org", "Stale Signer")
    fresh = signed(client, petition, "fresh@example.org", "Fresh Signer")
    resent = signed(client, petition, "resent@example.org", "Resent Signer")
    confirmed = signed(client, petition, "kept@example.org", "Kept Signer")
    confirm(client, confirmed)
    lifetime = settings.CONFIRMATION_MAX_AGE + sum(settings.EMAIL_RETRY_DELAYS)
    old = timezone.now() - timedelta(seconds=lifetime + 60)
    Signature.objects.filter(pk__in=[stale.pk, resent.pk, confirmed.pk]).update(created_at=old)
    # Signing again sends a new link, which works for CONFIRMATION_MAX_AGE from now.
    sign(client, petition, email="resent@example.org", full_name="Resent Signer")

    retention.anonymise_expired_petitions.call()

    remaining = set(petition.signatures.values_list("email", flat=True))
    assert remaining == {"fresh@example.org", "resent@example.org", "kept@example.org"}
    gone = url("petitions:confirm", slug=petition.slug, token=confirmation_token(stale))
    assert client.get(gone).status_code in (404, 410)
    assert fresh.pk in petition.signatures.values_list("pk", flat=True)


def test_a_signature_names_nobody(db):
    petition = make_petition(slug="named")
    signature = Signature.objects.create(
        petition=petition, full_name="Ana Souza", email="ana@example.org", language="en"
    )
    assert "Ana" not in str(signature)
    assert "ana@" not in str(signature)
    assert str(signature.pk) in str(signature)


def test_the_admin_log_never_gets_a_signers_name(client):
    petition = make_petition(slug="logged")
    signature = signed(client, petition, "logged@example.org", "Logged Signer")
    admin = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    change = f"/admin/petitions/signature/{signature.pk}/change/"
    data = {
        "full_name": "Logged Signer",
        "affiliation": "Teachers' Union",
        "country": "BR",
        "comment": "",
        "hidden": "on",
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.content[:2000]
    entries = LogEntry.objects.filter(object_id=str(signature.pk))
    assert entries.exists()
    assert all("Logged" not in entry.object_repr for entry in entries)
    history = client.get(f"/admin/petitions/signature/{signature.pk}/history/").text
    assert "Logged Signer" not in history


def old_entry(signature: Signature) -> LogEntry:
    """An entry as earlier versions wrote it, with the signer's name."""
    return LogEntry.objects.create(
        user=User.objects.get_or_create(username="old-moderator")[0],
        content_type=ContentType.objects.get_for_model(Signature),
        object_id=str(signature.pk),
        object_repr=signature.full_name,
        action_flag=CHANGE,
        change_message="[]",
    )


def test_erasure_and_deletion_purge_the_log_entries_naming_signatures(client):
    petition = make_petition(slug="purged", retention_days=1)
    erased = signed(client, petition, "erased@example.org", "Erased Signer")
    confirm(client, erased)
    leaving = signed(client, petition, "leaving@example.org", "Leaving Signer")
    confirm(client, leaving)
    other = make_petition(slug="other")
    untouched = signed(client, other, "untouched@example.org", "Untouched Signer")
    for signature in (erased, leaving, untouched):
        old_entry(signature)

    token = self_service_token(leaving)
    path = url("petitions:my_signature_delete", slug=petition.slug, token=token)
    assert client.post(path, {"confirm": "on"}).status_code == 302
    assert not LogEntry.objects.filter(object_repr="Leaving Signer").exists()
    assert LogEntry.objects.filter(object_repr="Erased Signer").exists()

    close_long_ago(petition)
    retention.anonymise_expired()
    assert not LogEntry.objects.filter(object_repr="Erased Signer").exists()
    assert LogEntry.objects.filter(object_repr="Untouched Signer").exists()
