"""Exports as CSV and XLSX: confirmed signatures only, every cell inert text; and the admin pages
escape what signers typed."""

import csv
import io
import tracemalloc
import zipfile
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.utils import timezone

from firma.organiser.audit.models import AuditEntry
from firma.organiser.exports.services import FIELDS
from firma.petitions import counting
from firma.petitions.models import Invalidation, Petition, Signature
from firma.tenancy.models import Membership

from .conftest import add, as_member
from .xlsx import read_xlsx

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "=cmd|'/c calc'!A0",
]
TEXT_COLUMNS = ["full_name", "organization", "email", "comment"]
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def rows_of(response) -> list[dict]:
    content = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.DictReader(io.StringIO(content.decode())))
    header, *rows = read_xlsx(content)
    return [dict(zip(header, row, strict=True)) for row in rows]


def export(admin_client, petition: Petition, kind: str) -> list[dict]:
    response = admin_client.post(
        "/admin/petitions/petition/",
        {"action": f"export_confirmed_{kind}", "_selected_action": [petition.pk]},
    )
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{petition.slug}-signatures-' in disposition
    assert disposition.endswith(f'.{kind}"')
    return rows_of(response)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_only_confirmed_valid_signatures_are_exported(admin_client, petition, kind):
    add(petition, "Ana Souza", "ana@example.org", country="BR", public=True)
    add(petition, "Marie Dubois", "marie@example.fr", country="FR")
    add(petition, "Pending Person", "pending@example.org", status=Signature.Status.PENDING)
    batch = Invalidation.objects.create(petition=petition, description="test")
    add(petition, "Invalid Person", "invalid@example.org", invalidation=batch)
    rows = export(admin_client, petition, kind)
    assert [row["full_name"] for row in rows] == ["Ana Souza", "Marie Dubois"]
    assert rows[0]["country"] == "BR"
    assert rows[0]["country_name"] == "Brazil"
    assert rows[0]["listed_publicly"] == "yes"
    assert rows[1]["email"] == "marie@example.fr"


def test_the_xlsx_export_is_a_spreadsheet(admin_client, petition):
    add(petition, "Ana Souza", "ana@example.org")
    response = admin_client.post(
        "/admin/petitions/petition/",
        {"action": "export_confirmed_xlsx", "_selected_action": [petition.pk]},
    )
    assert response.streaming
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("payload", FORMULAS)
def test_formulas_are_neutralised_in_every_text_column(admin_client, petition, kind, payload):
    add(
        petition,
        payload,
        payload + "@example.org",
        affiliation=payload,
        comment=payload,
    )
    [row] = export(admin_client, petition, kind)
    for column in TEXT_COLUMNS:
        assert row[column].startswith("'" + payload), (column, row[column])


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_selection_export_neutralises_too(admin_client, petition, kind):
    signature = add(petition, "=1+1", "=1@example.org", affiliation="@A1", comment="+2")
    response = admin_client.post(
        "/admin/petitions/signature/",
        {"action": f"export_confirmed_{kind}", "_selected_action": [signature.pk]},
    )
    [row] = rows_of(response)
    assert [row[column] for column in TEXT_COLUMNS] == ["'=1+1", "'@A1", "'=1@example.org", "'+2"]


@pytest.fixture
def xss_signature(petition) -> Signature:
    return add(
        petition,
        XSS,
        "xss@example.org",
        affiliation=XSS,
        comment=XSS,
        flags="honeypot",
        email_domain="example.org",
        ip_hash="c" * 32,
    )


def test_admin_pages_escape_what_signers_typed(admin_client, petition, xss_signature):
    petition.texts.update(title=XSS)
    pages = [
        "/admin/petitions/signature/",
        f"/admin/petitions/signature/{xss_signature.pk}/change/",
        "/admin/petitions/petition/",
        f"/admin/petitions/petition/{petition.pk}/change/",
        f"/admin/petitions/petition/{petition.pk}/invalidate/?preview=1&flag=honeypot",
    ]
    for url in pages:
        page = admin_client.get(url).text
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
    preview = admin_client.get(pages[-1]).text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in preview


# The export page: /admin/petitions/petition/<id>/export/


def export_page(petition: Petition) -> str:
    return f"/admin/petitions/petition/{petition.pk}/export/"


def download(client, petition: Petition, **choices) -> list[dict]:
    data = {"format": "csv", "columns": ["full_name", "organization", "country", "comment"]}
    response = client.post(export_page(petition), {**data, **choices})
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Disposition"].startswith("attachment;")
    return rows_of(response)


@pytest.fixture
def signers(petition) -> Petition:
    add(petition, "Listed Lia", "lia@example.org", public=True, country="AR", comment="Yes!")
    add(petition, "Private Pia", "pia@example.org", affiliation="Union", comment="Secret")
    add(petition, "Hidden Hugo", "hugo@example.org", public=True, hidden=True, affiliation="X")
    add(
        petition, "Quiet Quim", "quim@example.org", public=True, comment="Rude", comment_hidden=True
    )
    add(petition, "Pending Pat", "pat@example.org", status=Signature.Status.PENDING, public=True)
    return petition


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_public_export_shows_unlisted_signers_as_not_listed(admin_client, signers, kind):
    rows = download(admin_client, signers, format=kind)
    assert [(row["full_name"], row["organization"], row["comment"]) for row in rows] == [
        ("Listed Lia", "", "Yes!"),
        ("not listed", "", ""),
        ("not listed", "", ""),
        ("Quiet Quim", "", ""),
    ]
    assert rows[0]["country"] == "AR"


def test_an_internal_export_shows_every_signer_and_their_address(admin_client, signers):
    columns = ["full_name", "organization", "email", "comment", "listed_publicly"]
    rows = download(admin_client, signers, internal="on", columns=columns)
    assert [(row["full_name"], row["email"], row["listed_publicly"]) for row in rows] == [
        ("Listed Lia", "lia@example.org", "yes"),
        ("Private Pia", "pia@example.org", "no"),
        ("Hidden Hugo", "hugo@example.org", "no"),
        ("Quiet Quim", "quim@example.org", "yes"),
    ]
    assert rows[1]["organization"] == "Union"
    assert rows[3]["comment"] == "Rude"


def test_e_mail_addresses_need_an_internal_export(admin_client, signers):
    response = admin_client.post(export_page(signers), {"format": "csv", "columns": ["email"]})
    assert response.status_code == 200
    assert not response.streaming
    assert response.context["form"].has_error("columns", "email_not_internal")


def test_the_export_is_written_to_the_audit_log(admin_client, signers):
    download(admin_client, signers, internal="on", countries=["AR"])
    entry = AuditEntry.objects.get(action="export")
    assert entry.petition == signers
    assert entry.user.is_superuser
    assert "internal" in entry.detail
    assert "countries=AR" in entry.detail


def test_filters_keep_countries_dates_and_organisations(admin_client, petition):
    now = timezone.now()
    add(petition, "Old Ana", "ana@example.org", country="AR", public=True,
        created_at=now - timedelta(days=40), affiliation="Teacher")  # fmt: skip
    add(petition, "New Ben", "ben@example.org", country="AR", public=True, created_at=now)
    add(petition, "New Cléo", "cleo@example.fr", country="FR", public=True,
        created_at=now, affiliation="Nurse")  # fmt: skip
    counting.reconcile()

    def names(**choices) -> list[str]:
        return [row["full_name"] for row in download(admin_client, petition, **choices)]

    assert names(countries=["AR"]) == ["Old Ana", "New Ben"]
    assert names(countries=["AR", "FR"]) == ["Old Ana", "New Ben", "New Cléo"]
    since = (now - timedelta(days=1)).date().isoformat()
    until = (now - timedelta(days=30)).date().isoformat()
    assert names(signed_from=since) == ["New Ben", "New Cléo"]
    assert names(signed_to=until) == ["Old Ana"]
    assert names(organisation="yes") == ["Old Ana", "New Cléo"]
    assert names(organisation="no") == ["New Ben"]


def test_a_date_window_backwards_is_refused(admin_client, petition):
    response = admin_client.post(
        export_page(petition),
        {"format": "csv", "columns": ["full_name"], "signed_from": "2025-05-02",
         "signed_to": "2025-05-01"},
    )  # fmt: skip
    assert response.context["form"].has_error("__all__", "empty_window")


def test_a_viewer_exports_the_public_version_only(client, petition_a, org_a):
    add(petition_a, "Private Pia", "pia@example.org")
    viewer = as_member(client, org_a, Membership.Role.VIEWER)
    page = viewer.get(export_page(petition_a))
    assert page.status_code == 200
    assert "need the moderator role" in page.text
    rows = download(viewer, petition_a, internal="on", columns=["full_name"])
    assert rows == [{"full_name": "not listed"}]
    data = {"format": "csv", "internal": "on", "columns": ["full_name", "email"]}
    refused = viewer.post(export_page(petition_a), data)
    assert refused.context["form"].has_error("columns", "email_not_internal")


def test_a_moderator_may_export_internally(client, petition_a, org_a):
    add(petition_a, "Private Pia", "pia@example.org")
    moderator = as_member(client, org_a, Membership.Role.MODERATOR)
    rows = download(moderator, petition_a, internal="on", columns=["full_name", "email"])
    assert rows == [{"full_name": "Private Pia", "email": "pia@example.org"}]


def test_another_organisations_petition_cannot_be_exported(client_a, petition_b, signature_b):
    assert client_a.get(export_page(petition_b)).status_code == 404
    response = client_a.post(export_page(petition_b), {"format": "csv", "columns": ["full_name"]})
    assert response.status_code == 404
    assert client_a.get("/admin/petitions/petition/x/export/").status_code == 404


def test_the_petition_page_links_to_the_export(client_a, petition_a):
    page = client_a.get(f"/admin/petitions/petition/{petition_a.pk}/change/").text
    assert export_page(petition_a) in page


# Memory: signatures stream through a small, fixed amount of memory. The export reads them in
# chunks (exports.services.CHUNK), so its peak stops growing after a few chunks: doubling the
# signatures from there must leave it where it was, while holding them would take far more.

FEW, MANY = 5_000, 10_000
MEMORY_BOUND = 12 * 1024 * 1024
DELIVERY_COLUMNS = ["full_name", "organization", "country_name", "email", "signed_at"]


def streamed(response, into) -> int:
    """Writes the body to `into` chunk by chunk, as a server sends it; returns its size."""
    size = 0
    for chunk in response.streaming_content:
        into.write(chunk)
        size += len(chunk)
    response.close()
    return size


def peak_while(action) -> tuple[int, object]:
    tracemalloc.start()
    try:
        result = action()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def export_peaks(client, petition, path) -> dict[str, tuple[int, int]]:
    """The peak of memory and the size of a CSV and an XLSX export, written under `path`."""
    data = {"columns": DELIVERY_COLUMNS, "internal": "on"}
    found = {}
    for kind in ("csv", "xlsx"):
        with (path / f"export.{kind}").open("wb") as file:
            found[kind] = peak_while(
                lambda kind=kind, file=file: streamed(
                    client.post(export_page(petition), {**data, "format": kind}), file
                )
            )
    return found


# Committed for real: the end of a streamed response closes the request's database connection,
# which, on PostgreSQL, would end a test transaction wrapped around it.
@pytest.mark.django_db(transaction=True)
def test_many_signatures_export_in_bounded_memory(admin_client, petition, tmp_path):
    # A first small export loads the export's code, which the peak is not about.
    call_command("generate_signatures", petition.slug, "100", stdout=io.StringIO())
    export_peaks(admin_client, petition, tmp_path)
    call_command("generate_signatures", petition.slug, str(FEW - 100), stdout=io.StringIO())
    few = export_peaks(admin_client, petition, tmp_path)
    call_command("generate_signatures", petition.slug, str(MANY - FEW), stdout=io.StringIO())
    many = export_peaks(admin_client, petition, tmp_path)

    # The bound means something: holding the rows at once would need far more, and holding
    # the added ones alone far more than the peak grew.
    held, _ = peak_while(lambda: list(Signature.objects.values_list(*FIELDS)))
    added = held * (MANY - FEW) // MANY
    for kind in ("csv", "xlsx"):
        peak = many[kind][0]
        assert peak < MEMORY_BOUND, (kind, peak)
        assert held > 2 * peak, (kind, held, peak)
        assert peak - few[kind][0] < added / 10, (kind, few[kind][0], peak, added)
    assert many["csv"][1] > MANY * 50

    with (tmp_path / "export.csv").open(newline="", encoding="utf-8") as file:
        assert sum(1 for _row in csv.reader(file)) == MANY + 1
    with (
        zipfile.ZipFile(tmp_path / "export.xlsx") as archive,
        archive.open("xl/worksheets/sheet1.xml") as sheet,
    ):
        rows = sum(
            1 for _event, element in ElementTree.iterparse(sheet) if element.tag.endswith("}row")
        )
    assert rows == MANY + 1
