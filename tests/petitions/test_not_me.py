""" "This wasn't me": the link in every confirmation e-mail. Opening it changes nothing; its
button deletes the pending signature and the petition sends that address nothing more."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from firma.petitions.mail.suppression import address_key
from firma.petitions.models import Signature, Suppression
from tests.conftest import confirmation_path, make_petition, run_worker, sign

pytestmark = pytest.mark.django_db(transaction=True)


def not_me_path(message) -> str:
    text = message.get_body(("plain",)).get_content()
    links = re.findall(r"https?://[^/\s]+(/\S*/not-me/\S+)", text)
    assert len(links) == 1, text
    html = message.get_body(("html",)).get_content()
    assert links[0] in html
    return links[0]


@pytest.fixture
def link(client, petition, mailbox) -> str:
    sign(client, petition, email="ana@example.org")
    run_worker()
    return not_me_path(mailbox.messages[0])


def test_opening_the_link_changes_nothing(client, link):
    for method in (client.get, client.head):
        response = method(link)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
    assert '<form method="post">' in client.get(link).text
    assert Signature.objects.get().status == Signature.Status.PENDING
    assert not Suppression.objects.exists()


def test_the_button_deletes_the_signature_and_stops_all_further_mail(
    client, petition, link, mailbox
):
    response = client.post(link)
    assert response.status_code == 302
    assert "nothing more" in client.get(response["Location"]).text
    assert not Signature.objects.exists()

    # Kept as a keyed hash, never the address.
    [kept] = Suppression.objects.all()
    assert kept.address_key == address_key(petition.pk, "ana@example.org")
    assert "ana" not in kept.address_key and len(kept.address_key) == 64

    # Signing again with the address: the same answer, nothing stored, nothing sent.
    response = sign(client, petition, email="ana@example.org")
    assert response.status_code == 302
    run_worker()
    assert not Signature.objects.exists()
    assert len(mailbox.messages) == 1

    # The link now leads nowhere.
    assert client.post(link).status_code == 404


def test_a_queued_email_is_not_sent_after_disowning(client, petition, mailbox):
    sign(client, petition, email="ana@example.org")
    run_worker()
    Signature.objects.update(emailed_at=timezone.now() - timedelta(hours=2))
    sign(client, petition, email="ana@example.org")  # a second link queued, not yet sent
    client.post(not_me_path(mailbox.messages[0]))
    run_worker()
    assert len(mailbox.messages) == 1


def test_reminders_carry_the_link_and_stop_too(client, petition, mailbox):
    sign(client, petition, email="ana@example.org")
    run_worker()
    then = timezone.now() - timedelta(hours=30)
    Signature.objects.update(created_at=then, emailed_at=then)
    call_command("send_reminders", verbosity=0)
    run_worker()
    reminder = mailbox.messages[-1]
    assert len(mailbox.messages) == 2
    client.post(not_me_path(reminder))
    assert not Signature.objects.exists()


def test_other_petitions_and_addresses_are_not_affected(client, petition, link, mailbox):
    other = make_petition(slug="other")
    client.post(link)
    sign(client, other, email="ana@example.org")
    sign(client, petition, email="bo@example.org", REMOTE_ADDR="10.0.0.9")
    run_worker()
    assert len(mailbox.to("ana@example.org")) == 2
    assert len(mailbox.to("bo@example.org")) == 1


def test_a_confirmed_signature_is_not_deleted(client, link, mailbox):
    client.post(confirmation_path(mailbox.messages[0]))
    page = client.get(link).text
    assert "confirmed already" in page
    assert '<form method="post">' not in page
    client.post(link)
    assert Signature.objects.get().status == Signature.Status.CONFIRMED
    assert not Suppression.objects.exists()


def test_a_forged_link_or_another_petitions_is_not_found(client, petition, link):
    other = make_petition(slug="other")
    assert client.post(link.replace(petition.slug, other.slug)).status_code == 404
    assert client.post(link[:-3] + "xx/").status_code == 404
    assert Signature.objects.exists()


def test_the_pages_are_in_the_signers_language(client, petition, mailbox):
    sign(client, petition, "es", email="ana@example.org")
    run_worker()
    link = not_me_path(mailbox.messages[0])
    assert link.startswith("/es/")
    assert "No fui yo" in client.get(link).text
