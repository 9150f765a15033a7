"""One person, one signature: variants of an address that reach one mailbox count once."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from firma.petitions import counting
from firma.petitions.models import Signature
from firma.petitions.rules.mailboxes import mailbox as mailbox_of
from tests.conftest import confirmation_path, cool_down_passed, run_worker, sign

fill = importlib.import_module("firma.petitions.migrations.0014_signature_mailbox").fill


@pytest.mark.parametrize(
    ("address", "box"),
    [
        ("ana@gmail.com", "ana@gmail.com"),
        ("a.n.a@gmail.com", "ana@gmail.com"),
        ("ana+petitions@gmail.com", "ana@gmail.com"),
        ("a.na+x.y@googlemail.com", "ana@gmail.com"),
        ("ana+news@outlook.com", "ana@outlook.com"),
        ("a.na@outlook.com", "a.na@outlook.com"),  # Microsoft keeps dots
        ("ana+x@hotmail.co.uk", "ana@hotmail.co.uk"),
        ("ana@hotmail.com", "ana@hotmail.com"),  # not outlook.com's ana
        ("ana+x@fastmail.com", "ana@fastmail.com"),
        ("a.n-a_+x@pm.me", "ana@proton.me"),
        ("ana@protonmail.com", "ana@proton.me"),
        ("ana+x@me.com", "ana@icloud.com"),
        ("ana+x@yahoo.com", "ana+x@yahoo.com"),  # no sub-addressing
        ("ana-x@yahoo.com", "ana-x@yahoo.com"),  # a disposable alias, not the account
        ("a.na+x@example.org", "a.na+x@example.org"),  # unknown: its own mailbox
        ("+x@gmail.com", "+x@gmail.com"),
        ("", ""),
    ],
)
def test_the_table(address, box):
    assert mailbox_of(address) == box


@pytest.mark.django_db(transaction=True)
def test_a_variant_takes_the_duplicate_path(client, petition, mailbox):
    first = sign(client, petition, email="ana.souza@gmail.com")
    run_worker()
    client.post(confirmation_path(mailbox.messages[0]))
    cool_down_passed()

    again = sign(client, petition, email="AnaSouza+petition@googlemail.com", full_name="Other")
    assert (again.status_code, again["Location"]) == (first.status_code, first["Location"])
    run_worker()
    assert Signature.objects.count() == 1
    assert counting.total(petition) == 1
    assert Signature.objects.get().full_name == "Ana Souza"
    # The note goes to the address that signed, in the same mailbox.
    note = mailbox.messages[-1]
    assert note["To"] == "ana.souza@gmail.com"
    assert "already signed" in note["Subject"]


@pytest.mark.django_db(transaction=True)
def test_a_pending_variant_updates_the_pending_signature(client, petition, mailbox):
    sign(client, petition, email="ana@outlook.com")
    cool_down_passed()
    sign(client, petition, email="ana+x@outlook.com", full_name="Ana S.")
    run_worker()
    signature = Signature.objects.get()
    assert signature.full_name == "Ana S."
    assert len(mailbox.messages) == 2
    client.post(confirmation_path(mailbox.messages[1]))
    assert counting.total(petition) == 1


@pytest.mark.django_db(transaction=True)
def test_different_people_stay_different(client, petition, mailbox):
    sign(client, petition, email="a.na@outlook.com")
    sign(client, petition, email="ana@outlook.com", REMOTE_ADDR="10.0.0.2")
    sign(client, petition, email="ana@hotmail.com", REMOTE_ADDR="10.0.0.3")
    assert Signature.objects.count() == 3


@pytest.mark.django_db
def test_the_migration_fills_the_mailboxes_and_keeps_every_signature(petition):
    rows = ["ana@gmail.com", "a.na@gmail.com", "bo+x@outlook.com", "cy@example.org"]
    for email in rows:
        Signature.objects.create(
            petition=petition,
            full_name="X",
            email=email,
            email_domain=email.rpartition("@")[2],
            language="en",
        )
    Signature.objects.create(petition=petition, full_name="", email="", language="en")
    Signature.objects.update(mailbox="")
    fill(apps, connection.schema_editor())
    boxes = dict(Signature.objects.values_list("email", "mailbox"))
    assert boxes == {
        "ana@gmail.com": "ana@gmail.com",
        "a.na@gmail.com": "a.na@gmail.com",  # the later variant keeps its own: no one deleted
        "bo+x@outlook.com": "bo@outlook.com",
        "cy@example.org": "cy@example.org",
        "": "",
    }
