"""The organisers' side of provable consent: the records on a signature's page, their download
for a data-subject request, a withdrawal on the signer's request, and paper imports."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from firma.petitions.models import ConsentRecord, PetitionVersion, Signature
from firma.tenancy.models import Membership
from tests.conftest import confirmation_path, run_worker, sign

from .conftest import add, as_member

pytestmark = pytest.mark.django_db

Role = Membership.Role
Choice, Channel = ConsentRecord.Choice, ConsentRecord.Channel


@pytest.fixture
def signed(client, petition_a, mailbox) -> Signature:
    """Ana signed the petition on its page, asked to hear about it, and confirmed."""
    sign(client, petition_a, news_opt_in="on", email="ana@example.org")
    run_worker()
    client.post(confirmation_path(mailbox.messages[0]))
    return Signature.objects.get(email="ana@example.org")


def change_url(signature: Signature) -> str:
    return f"/admin/petitions/signature/{signature.pk}/change/"


def export_url(signature: Signature, kind: str) -> str:
    return f"/admin/petitions/signature/{signature.pk}/consents.{kind}"


def test_a_moderator_sees_the_records_and_downloads_them(client, org_a, signed):
    as_member(client, org_a, Role.MODERATOR)
    page = client.get(change_url(signed)).text
    assert "Tell me about this petition: its updates, its delivery and the response." in page
    assert export_url(signed, "json") in page and export_url(signed, "csv") in page

    document = client.get(export_url(signed, "json"))
    assert document["Content-Disposition"].startswith("attachment")
    data = json.loads(document.content)
    assert data["email"] == "ana@example.org"
    assert [(row["consent"], row["given"], row["channel"]) for row in data["consents"]] == [
        ("privacy", True, "page"),
        ("listing", True, "page"),
        ("petition_news", True, "page"),
        ("organisation_news", False, "page"),
    ]

    table = client.get(export_url(signed, "csv"))
    assert table["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.content.decode())))
    assert [(row["consent"], row["given"]) for row in rows][-1] == ("organisation_news", "no")
    assert all(len(row["wording_sha256"]) == 64 for row in rows)


def test_a_viewer_and_another_organisation_cannot_download(client, org_a, org_b, signed):
    as_member(client, org_a, Role.VIEWER)
    assert client.get(export_url(signed, "json")).status_code == 404
    as_member(client, org_b, Role.OWNER)
    assert client.get(export_url(signed, "csv")).status_code == 404
    as_member(client, org_a, Role.MODERATOR)
    assert client.get(export_url(signed, "json")).status_code == 200


def test_withdrawing_on_the_signers_request_adds_a_record(client, org_a, signed):
    as_member(client, org_a, Role.MODERATOR)
    data = {
        "full_name": signed.full_name,
        "affiliation": signed.affiliation,
        "country": signed.country,
        "comment": signed.comment,
        "public": "on",
    }
    assert client.post(change_url(signed), data).status_code == 302
    signed.refresh_from_db()
    assert signed.public and not signed.news_opt_in
    last = ConsentRecord.objects.filter(signature=signed).select_related("wording").last()
    assert (last.choice, last.given, last.channel) == (
        Choice.PETITION_NEWS,
        False,
        Channel.ORGANISER,
    )
    assert "at the signer's request" in last.wording.text
    assert ConsentRecord.objects.filter(signature=signed).count() == 5


def test_paper_signatures_get_records_and_the_version_of_the_text(
    client, org_a, petition_a, settings, tmp_path
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    add(petition_a, "Online", "online@example.org")
    as_member(client, org_a, Role.EDITOR)
    sheet = "Name;E-mail\nAna Paper;ana.paper@example.org\n"
    page = f"/admin/petitions/petition/{petition_a.pk}/paper/"
    review = client.post(page, {"file": SimpleUploadedFile("s.csv", sheet.encode())})
    client.post(review["Location"], {"name": "0", "email": "1", "public": "on"})
    imported = Signature.objects.get(paper=True)
    assert imported.version == PetitionVersion.objects.get(petition=petition_a)
    assert [
        (r.choice, r.given, r.channel) for r in ConsentRecord.objects.filter(signature=imported)
    ] == [(Choice.PRIVACY, True, Channel.PAPER), (Choice.LISTING, True, Channel.PAPER)]
