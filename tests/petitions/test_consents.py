"""Provable consent: each consent a signer gives or withdraws is a record of which, yes or no,
the words shown (kept once, by SHA-256), the language, when and through which channel; the
signer sees them on their page; erasure and deletion take them away."""

import hashlib
import html
import importlib
import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from firma.petitions.models import (
    ConsentRecord,
    ConsentWording,
    Petition,
    PetitionVersion,
    Signature,
    Target,
)
from firma.petitions.tokens import self_service_token, unsubscribe_token
from tests.conftest import confirmation_path, make_petition, run_worker, sign, signing_data, url
from tests.petitions.test_embeds import form_action, form_fields

pytestmark = pytest.mark.django_db

Choice, Channel = ConsentRecord.Choice, ConsentRecord.Channel

migration = importlib.import_module(
    "firma.petitions.migrations.0020_consent_records_and_versioned_targets"
)


def records(signature: Signature | None = None) -> list[tuple[str, bool, str]]:
    signature = signature or Signature.objects.get()
    return [
        (record.choice, record.given, record.channel)
        for record in ConsentRecord.objects.filter(signature=signature).order_by("pk")
    ]


def my_page(signature: Signature, name: str = "petitions:my_signature") -> str:
    return url(name, slug=signature.petition.slug, token=self_service_token(signature))


def visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def test_signing_records_each_consent_shown_ticked_or_not(client, petition):
    page = client.get(url("petitions:detail", "es", slug=petition.slug)).text
    # Three separate boxes, none ticked in advance.
    for name in ("public", "news_opt_in", "organisation_news"):
        box = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', page)
        assert box and "checked" not in box.group(0), name

    sign(client, petition, "es", public="on", news_opt_in=None, organisation_news="on")

    signature = Signature.objects.get()
    assert (signature.public, signature.news_opt_in, signature.organisation_news) == (
        True,
        False,
        True,
    )
    assert records(signature) == [
        (Choice.PRIVACY, True, Channel.PAGE),
        (Choice.LISTING, True, Channel.PAGE),
        (Choice.PETITION_NEWS, False, Channel.PAGE),
        (Choice.ORGANISATION_NEWS, True, Channel.PAGE),
    ]
    shown = visible_text(page)
    for record in ConsentRecord.objects.select_related("wording"):
        assert record.language == "es"
        assert not record.migrated
        text = record.wording.text
        assert record.wording_id == hashlib.sha256(text.encode()).hexdigest()
        # The exact words on the page the signer saw, in Spanish.
        first_paragraph = text.split("\n\n")[0]
        assert first_paragraph in shown, first_paragraph
    news = ConsentRecord.objects.get(choice=Choice.PETITION_NEWS).wording.text
    organisation = ConsentRecord.objects.get(choice=Choice.ORGANISATION_NEWS).wording.text
    assert news != organisation
    assert news == "Quiero saber de esta petición: sus novedades, su entrega y la respuesta."


def test_each_wording_is_kept_once(client, petition):
    sign(client, petition, email="one@example.org")
    sign(client, petition, email="two@example.org", REMOTE_ADDR="10.0.0.2")
    assert ConsentRecord.objects.count() == 8
    assert ConsentWording.objects.count() == 4


def test_the_embedded_form_is_its_own_channel(client):
    petition = make_petition(allow_embedding=True)
    page = client.get(url("petitions:embed", slug=petition.slug)).text
    fields = {**form_fields(page), **signing_data(news_opt_in="on")}
    assert client.post(form_action(page), fields).status_code == 302
    assert {channel for _c, _g, channel in records()} == {Channel.EMBED}
    assert (Choice.PETITION_NEWS, True, Channel.EMBED) in records()


def test_signing_again_before_confirming_records_the_new_choices(client, petition, mailbox):
    sign(client, petition, news_opt_in="on")
    sign(client, petition, news_opt_in=None)
    signature = Signature.objects.get()
    assert not signature.news_opt_in
    given = [g for choice, g, _ch in records(signature) if choice == Choice.PETITION_NEWS]
    assert given == [True, False]


@pytest.fixture
def confirmed(client, petition, mailbox) -> Signature:
    sign(client, petition, news_opt_in="on", organisation_news="on")
    run_worker()
    client.post(confirmation_path(mailbox.messages[0]))
    return Signature.objects.get(status=Signature.Status.CONFIRMED)


def test_the_signers_page_lists_the_records_and_withdrawing_adds_one(client, confirmed):
    page = client.get(my_page(confirmed)).text
    assert "Your consents" in page
    assert "Tell me about this petition: its updates, its delivery and the response." in page
    assert page.count("<tr>") == 5  # the heading and four records

    client.post(my_page(confirmed, "petitions:my_signature_news"))
    client.post(my_page(confirmed, "petitions:my_signature_organisation_news"))
    client.post(my_page(confirmed, "petitions:my_signature_listing"), {"public": "False"})

    confirmed.refresh_from_db()
    assert (confirmed.public, confirmed.news_opt_in, confirmed.organisation_news) == (
        False,
        False,
        False,
    )
    history = records(confirmed)
    assert history[:4] == [  # what was given stays
        (Choice.PRIVACY, True, Channel.PAGE),
        (Choice.LISTING, True, Channel.PAGE),
        (Choice.PETITION_NEWS, True, Channel.PAGE),
        (Choice.ORGANISATION_NEWS, True, Channel.PAGE),
    ]
    assert history[4:] == [
        (Choice.PETITION_NEWS, False, Channel.SELF_SERVICE),
        (Choice.ORGANISATION_NEWS, False, Channel.SELF_SERVICE),
        (Choice.LISTING, False, Channel.SELF_SERVICE),
    ]
    withdrawn = ConsentRecord.objects.filter(channel=Channel.SELF_SERVICE).select_related("wording")
    assert [record.wording.text for record in withdrawn] == [
        "Stop sending me news",
        "Stop sending me the organisers' other news",
        "Remove my name from the public list",
    ]
    # Pressing again changes nothing: there is nothing left to withdraw.
    client.post(my_page(confirmed, "petitions:my_signature_news"))
    assert len(records(confirmed)) == 7

    data = json.loads(client.get(my_page(confirmed, "petitions:my_signature_data")).content)
    assert [row["consent"] for row in data["consents"]][-3:] == [
        "petition_news",
        "organisation_news",
        "listing",
    ]
    assert (
        data["consents"][0]["wording_sha256"]
        == hashlib.sha256(data["consents"][0]["wording"].encode()).hexdigest()
    )


def test_the_unsubscribe_link_withdraws_with_a_record(client, confirmed):
    link = url("petitions:unsubscribe", slug=confirmed.petition.slug, token="-")
    link = link.replace("/-/", f"/{unsubscribe_token(confirmed)}/")
    assert client.get(link).status_code == 200
    assert len(records(confirmed)) == 4  # opening the page changes nothing
    client.post(link, {"List-Unsubscribe": "One-Click"})
    confirmed.refresh_from_db()
    assert not confirmed.news_opt_in
    assert confirmed.organisation_news  # a separate consent, untouched
    assert records(confirmed)[-1] == (Choice.PETITION_NEWS, False, Channel.UNSUBSCRIBE)


def test_deleting_the_signature_deletes_its_records(client, confirmed):
    client.post(my_page(confirmed, "petitions:my_signature_delete"), {"confirm": "on"})
    assert not Signature.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_erasure_after_retention_removes_the_records(client, confirmed):
    Petition.objects.filter(pk=confirmed.petition_id).update(
        status=Petition.Status.CLOSED,
        closed_at=timezone.now() - timedelta(days=31),
        retention_days=30,
    )
    call_command("anonymise", stdout=StringIO())
    confirmed.refresh_from_db()
    assert confirmed.anonymised_at is not None  # kept, anonymous, for the counts
    assert not ConsentRecord.objects.exists()


def test_migrated_opt_ins_become_records_and_versions_get_targets(petition):
    now = timezone.now()
    both = Signature.objects.create(
        petition=petition,
        full_name="Both",
        email="both@example.org",
        language="es",
        public=True,
        news_opt_in=True,
    )
    paper = Signature.objects.create(
        petition=petition, full_name="Paper", email="p@example.org", language="en", paper=True
    )
    Signature.objects.filter(pk=paper.pk).update(public=True)
    Signature.objects.create(petition=petition, full_name="None", email="n@example.org")
    erased = Signature.objects.create(
        petition=petition, full_name="", email="", public=True, anonymised_at=now
    )
    Target.objects.create(petition=petition, name="Ana Pérez", role="Minister", country="AR")
    first = PetitionVersion.objects.create(
        petition=petition, number=1, texts={}, created_at=now - timedelta(days=2)
    )
    second = PetitionVersion.objects.create(
        petition=petition, number=2, texts={}, created_at=now - timedelta(days=1)
    )
    Signature.objects.filter(pk=both.pk).update(created_at=now - timedelta(days=3))
    Signature.objects.filter(pk=paper.pk).update(created_at=now - timedelta(hours=30))

    migration.opt_ins_to_records(apps, connection.schema_editor())
    migration.targets_to_versions(apps, connection.schema_editor())

    migrated = ConsentRecord.objects.order_by("signature_id", "choice")
    assert [(r.signature_id, r.choice, r.given, r.channel) for r in migrated] == [
        (both.pk, Choice.LISTING, True, Channel.PAGE),
        (both.pk, Choice.PETITION_NEWS, True, Channel.PAGE),
        (paper.pk, Choice.LISTING, True, Channel.PAPER),
    ]
    assert all(r.migrated and r.wording is None for r in migrated)
    assert migrated[0].language == "es"
    assert not ConsentRecord.objects.filter(signature=erased).exists()

    for version in (first, second):
        version.refresh_from_db()
        assert version.targets == [
            {"name": "Ana Pérez", "role": "Minister", "roles": {}, "country": "AR"}
        ]
    # Each signature without a version points at the one in force when it was signed.
    assert Signature.objects.get(pk=both.pk).version == first  # before the first: the first
    assert Signature.objects.get(pk=paper.pk).version == first
    assert Signature.objects.get(full_name="None").version == second
