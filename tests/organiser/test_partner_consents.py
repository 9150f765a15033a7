"""Consents given to partners are consent records like the others: each box shown is recorded,
ticked or not, in its exact words (with the privacy notice linked) and language, on the page
and in the embed; the organisers' per-signature view and download show them; retention erases
them; opt-ins stored before records are moved into them."""

import csv
import io
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from firma.petitions.models import ConsentRecord, Partner, Petition, Signature
from firma.tenancy.models import Membership
from tests.conftest import confirmation_path, run_worker, sign, signing_data, url
from tests.petitions.test_embeds import form_action, form_fields

from .conftest import as_member
from .test_exports import export, rows_of

pytestmark = pytest.mark.django_db

Choice, Channel = ConsentRecord.Choice, ConsentRecord.Channel


@pytest.fixture
def coalition(petition_a) -> Petition:
    """Petition A with two partners offering their own consent, and a third that offers none."""
    Partner.objects.create(
        petition=petition_a,
        slug="rivers",
        name="Rivers",
        privacy_url="https://rivers.example/privacy",
        opt_in=True,
        position=0,
    )
    Partner.objects.create(
        petition=petition_a,
        slug="seas",
        name="Seas",
        privacy_url="https://seas.example/privacy",
        opt_in=True,
        position=1,
    )
    Partner.objects.create(petition=petition_a, slug="lakes", name="Lakes", position=2)
    return petition_a


def partner_records(signature: Signature) -> list[tuple[str, bool, str, str]]:
    return [
        (record.partner.slug, record.given, record.channel, record.language)
        for record in signature.consents.filter(choice=Choice.PARTNER).order_by("pk")
    ]


def test_each_partner_box_shown_is_recorded_in_its_words_and_language(coalition, client):
    page = client.get(url("petitions:detail", "es", slug=coalition.slug)).text
    assert sign(client, coalition, "es", partner_opt_in="seas").status_code == 302

    signature = Signature.objects.get()
    # Both boxes shown, one ticked; the partner without a box has no record.
    assert partner_records(signature) == [
        ("rivers", False, Channel.PAGE, "es"),
        ("seas", True, Channel.PAGE, "es"),
    ]
    seas = signature.consents.get(partner__slug="seas")
    label, notice = seas.wording.text.split("\n\n")
    assert label in page  # the words the signer read, in Spanish
    assert label != "Keep me informed about the campaigns of Seas."
    assert notice.endswith(": https://seas.example/privacy") and "Seas" in notice
    assert 'href="https://seas.example/privacy"' in page


def test_the_embed_records_the_partner_boxes_as_its_own_channel(coalition, client):
    coalition.allow_embedding = True
    coalition.save()
    page = client.get(url("petitions:embed", slug=coalition.slug)).text
    fields = {**form_fields(page), **signing_data(partner_opt_in=["rivers", "seas"])}
    assert client.post(form_action(page), fields).status_code == 302
    assert partner_records(Signature.objects.get()) == [
        ("rivers", True, Channel.EMBED, "en"),
        ("seas", True, Channel.EMBED, "en"),
    ]


def test_the_organisers_view_and_download_name_the_partner(coalition, client, org_a, mailbox):
    sign(Client(), coalition, partner_opt_in="rivers")
    signature = Signature.objects.get()
    as_member(client, org_a, Membership.Role.MODERATOR)
    page = client.get(f"/admin/petitions/signature/{signature.pk}/change/").text
    assert "Hearing from a partner: Rivers" in page
    assert "Privacy notice of Rivers: https://rivers.example/privacy" in page

    download = client.get(f"/admin/petitions/signature/{signature.pk}/consents.json")
    data = json.loads(download.content)
    partners = [(row["partner"], row["given"]) for row in data["consents"] if row["partner"]]
    assert partners == [("rivers", True), ("seas", False)]
    assert all(row["partner"] is None for row in data["consents"] if row["consent"] != "partner")
    table = client.get(f"/admin/petitions/signature/{signature.pk}/consents.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [(row["consent"], row["given"], row["partner"]) for row in rows][-2:] == [
        ("partner", "yes", "rivers"),
        ("partner", "no", "seas"),
    ]
    assert rows[0]["partner"] == ""


def test_retention_erases_the_partner_consents(coalition, client, org_a, mailbox):
    sign(client, coalition, partner_opt_in="rivers")
    run_worker()
    assert Client().post(confirmation_path(mailbox.messages[0])).status_code == 302
    rivers = Partner.objects.get(slug="rivers")
    owner = as_member(Client(), org_a, Membership.Role.OWNER)
    view = f"/admin/petitions/petition/{coalition.pk}/partners/{rivers.pk}/"
    assert "1 signer agreed to hear from this partner." in owner.get(view).text

    Petition.objects.filter(pk=coalition.pk).update(
        status=Petition.Status.CLOSED,
        closed_at=timezone.now() - timedelta(days=31),
        retention_days=30,
    )
    call_command("anonymise", stdout=StringIO())
    assert not ConsentRecord.objects.filter(partner__isnull=False).exists()
    assert "0 signers agreed to hear from this partner." in owner.get(view).text
    export = owner.post(view + "consents.csv")
    assert b"".join(export.streaming_content).decode().count("\n") == 1  # the header alone


@pytest.mark.django_db(transaction=True)
def test_stored_opt_ins_become_records_with_their_words(petition_a):
    before = [("petitions", "0021_endorsements_and_upstream_confirmation")]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    partner = old.get_model("petitions", "Partner").objects.create(
        petition_id=petition_a.pk, slug="rivers", name="Rivers", opt_in=True
    )
    signature = old.get_model("petitions", "Signature")
    kept = signature.objects.create(
        petition_id=petition_a.pk, full_name="Ana", email="ana@example.org", language="fr"
    )
    erased = signature.objects.create(petition_id=petition_a.pk, full_name="", email="")
    given = timezone.now() - timedelta(days=3)
    opt_in = old.get_model("petitions", "PartnerOptIn")
    for who in (kept, erased):
        opt_in.objects.create(
            signature_id=who.pk, partner_id=partner.pk, wording="Keep me informed.", given_at=given
        )

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    record = ConsentRecord.objects.select_related("wording").get()
    assert (record.signature_id, record.partner_id, record.choice, record.given) == (
        kept.pk,
        partner.pk,
        Choice.PARTNER,
        True,
    )
    assert record.wording.text == "Keep me informed." and not record.migrated
    assert (record.language, record.channel, record.created_at) == ("fr", Channel.PAGE, given)
    assert "petitions_partneroptin" not in connection.introspection.table_names()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_exports_name_the_partner_and_the_partner_consents(
    coalition, admin_client, mailbox, kind
):
    via = url("petitions:sign", slug=coalition.slug)
    Client().post(via, signing_data(email="bea@example.org", via="rivers", partner_opt_in="seas"))
    sign(Client(), coalition, email="carl@example.org")
    run_worker()
    for message in mailbox.messages:
        assert Client().post(confirmation_path(message)).status_code == 302

    rows = export(admin_client, coalition, kind)
    found = {row["email"]: (row["partner"], row["partner_consents"]) for row in rows}
    assert found == {"bea@example.org": ("rivers", "seas"), "carl@example.org": ("", "")}

    # A public export has the partner, never what a signer consented to.
    page = f"/admin/petitions/petition/{coalition.pk}/export/"
    columns = ["full_name", "partner", "partner_consents"]
    public = rows_of(admin_client.post(page, {"format": kind, "columns": columns}))
    assert [sorted(row) for row in public] == [["full_name", "partner"]] * 2
    assert sorted(row["partner"] for row in public) == ["", "rivers"]


def test_boxes_left_unticked_are_recorded_too(coalition, client, settings):
    settings.SIGNING_LEAN = True
    assert sign(client, coalition, public="on").status_code == 302
    assert partner_records(Signature.objects.get()) == [
        ("rivers", False, Channel.PAGE, "en"),
        ("seas", False, Channel.PAGE, "en"),
    ]
