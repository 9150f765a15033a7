"""At most one e-mail per address per petition an hour, whoever asks; the page says the same."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from firma.petitions.models import Signature
from tests.conftest import confirmation_path, cool_down_passed, make_petition, run_worker, sign

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_form_cannot_flood_a_mailbox(client, petition, mailbox):
    answers = [
        sign(client, petition, full_name=f"Name {n}", REMOTE_ADDR=f"10.0.0.{n}") for n in range(5)
    ]
    run_worker()
    # Every answer alike: nothing tells the person at the keyboard the e-mail was held back.
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, answers[0]["Location"])}
    assert len(mailbox.to("ana@example.org")) == 1
    # The details are still the latest ones: the link confirms what was sent last.
    assert Signature.objects.get().full_name == "Name 4"
    assert "Name 4" in client.get(confirmation_path(mailbox.messages[0])).text


def test_after_an_hour_the_address_gets_a_fresh_link(client, petition, mailbox):
    sign(client, petition)
    sign(client, petition)
    cool_down_passed()
    sign(client, petition)
    sign(client, petition)
    run_worker()
    assert len(mailbox.to("ana@example.org")) == 2


def test_a_confirmed_signer_gets_one_note_an_hour(client, petition, mailbox):
    sign(client, petition)
    run_worker()
    client.post(confirmation_path(mailbox.messages[0]))
    cool_down_passed()
    for _ in range(3):
        sign(client, petition)
    run_worker()
    notes = [m for m in mailbox.to("ana@example.org") if "already signed" in m["Subject"]]
    assert len(notes) == 1


def test_a_reminder_waits_for_the_cool_down_of_a_fresh_link(client, petition, mailbox):
    sign(client, petition)
    run_worker()
    Signature.objects.update(created_at=timezone.now() - timedelta(hours=30))
    sign(client, petition)  # within the hour of the first link: nothing more is sent
    Signature.objects.update(emailed_at=timezone.now() - timedelta(minutes=20))
    call_command("send_reminders", verbosity=0)
    run_worker()
    assert len(mailbox.to("ana@example.org")) == 1
    cool_down_passed()
    call_command("send_reminders", verbosity=0)
    run_worker()
    assert len(mailbox.to("ana@example.org")) == 2


def test_each_petition_has_its_own_hour(client, petition, mailbox):
    other = make_petition(slug="other")
    sign(client, petition)
    sign(client, other)
    run_worker()
    assert len(mailbox.to("ana@example.org")) == 2
