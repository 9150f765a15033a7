"""Exports as CSV and XLSX: confirmed signatures only, every cell inert text; and the admin pages
escape what signers typed."""

import csv
import io

import pytest

from firma.petitions.models import Invalidation, Petition, Signature

from .conftest import add
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
        organization=payload,
        comment=payload,
    )
    [row] = export(admin_client, petition, kind)
    for column in TEXT_COLUMNS:
        assert row[column].startswith("'" + payload), (column, row[column])


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_selection_export_neutralises_too(admin_client, petition, kind):
    signature = add(petition, "=1+1", "=1@example.org", organization="@A1", comment="+2")
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
        organization=XSS,
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
