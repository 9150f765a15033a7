"""The organiser's admin: find, filter, hide, delete and export signatures."""

import csv
import io
from datetime import UTC, datetime

import pytest

from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from tests.conftest import make_petition, petition_form_data
from tests.organiser.conftest import add

pytestmark = pytest.mark.django_db


@pytest.fixture
def signatures(petition):
    return [
        add(
            petition,
            "Ana Souza",
            "ana@example.org",
            affiliation="Teachers' Union",
            country="BR",
            public=True,
        ),
        add(petition, "Marie Dubois", "marie@example.fr", affiliation="CGT", country="FR"),
        add(
            petition,
            "Pending Person",
            "pending@example.org",
            status=Signature.Status.PENDING,
            country="BR",
        ),
    ]


def changelist(admin_client, query: str = "") -> str:
    response = admin_client.get(f"/admin/petitions/signature/{query}")
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("term", ["Souza", "ana@example", "Teachers"])
def test_search_by_name_email_and_organisation(admin_client, signatures, term):
    page = changelist(admin_client, f"?q={term}")
    assert "Ana Souza" in page
    assert "Marie Dubois" not in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?status__exact=pending", "Pending Person", "Ana Souza"),
        ("?country__exact=FR", "Marie Dubois", "Ana Souza"),
        ("?petition__id__exact={other}", "Other Signer", "Ana Souza"),
        ("?created_at__year=2000&created_at__month=1", "Old Signer", "Ana Souza"),
    ],
)
def test_filters(admin_client, signatures, query, shown, hidden):
    other = make_petition(slug="other")
    add(other, "Other Signer", "other@example.org")
    add(other, "Old Signer", "old@example.org", created_at=datetime(2000, 1, 1, 12, tzinfo=UTC))
    page = changelist(admin_client, query.format(other=other.pk))
    assert shown in page
    assert hidden not in page


def test_hide_from_the_public_list(admin_client, client, petition, signatures):
    ana = signatures[0]
    assert "Ana Souza" in client.get(petition.get_absolute_url()).text
    response = admin_client.post(
        "/admin/petitions/signature/",
        {"action": "hide_from_public_list", "_selected_action": [ana.pk]},
        follow=True,
    )
    assert "1 signature hidden from the public list." in response.text
    assert "Ana Souza" not in client.get(petition.get_absolute_url()).text
    assert counting.total(petition) == 2  # still counted


def test_delete_signatures(admin_client, petition, signatures):
    response = admin_client.post(
        "/admin/petitions/signature/",
        {"action": "delete_selected", "_selected_action": [signatures[1].pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Signature.objects.filter(pk=signatures[1].pk).exists()
    assert counting.total(petition) == 1


def export(admin_client, petition: Petition) -> list[dict]:
    response = admin_client.post(
        "/admin/petitions/petition/",
        {"action": "export_confirmed_csv", "_selected_action": [petition.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{petition.slug}-signatures-' in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


def test_csv_export_of_confirmed_signatures(admin_client, petition, signatures):
    rows = export(admin_client, petition)
    assert [row["full_name"] for row in rows] == ["Ana Souza", "Marie Dubois"]
    assert rows[0]["email"] == "ana@example.org"
    assert rows[0]["organization"] == "Teachers' Union"
    assert rows[0]["country"] == "BR"
    assert rows[0]["country_name"] == "Brazil"
    assert rows[0]["listed_publicly"] == "yes"
    assert rows[1]["listed_publicly"] == "no"


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_csv_export_neutralises_formulas(admin_client, petition, payload):
    add(petition, payload, "formula@example.org", affiliation=payload, comment=payload)
    [row] = export(admin_client, petition)
    for column in ["full_name", "organization", "comment"]:
        assert row[column] == "'" + payload


def test_the_petition_list_shows_confirmed_counts(admin_client, petition, signatures):
    page = admin_client.get("/admin/petitions/petition/").text
    assert "Clean water for every school" in page
    assert '<td class="field-confirmed_count">2</td>' in page


def test_petitions_are_edited_with_their_translations(admin_client, petition):
    page = admin_client.get(f"/admin/petitions/petition/{petition.pk}/change/").text
    assert "Agua limpia para cada escuela" in page
    assert 'name="donation_iban"' in page


def test_the_admin_refuses_an_invalid_iban(admin_client, petition):
    data = petition_form_data(petition, donation_iban="FR76 1027 8061 0500 0596 5934 134")
    response = admin_client.post(f"/admin/petitions/petition/{petition.pk}/change/", data)
    assert response.status_code == 200
    assert "Invalid IBAN: Invalid checksum digits" in response.text


def test_the_admin_is_for_staff_only(client, signatures):
    response = client.get("/admin/petitions/signature/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_closing_in_the_admin_notes_when_it_closed(admin_client, petition):
    data = petition_form_data(petition, status="closed")
    response = admin_client.post(f"/admin/petitions/petition/{petition.pk}/change/", data)
    assert response.status_code == 302, response.text
    petition.refresh_from_db()
    assert petition.status == "closed"
    assert petition.closed_at is not None
    response = admin_client.post(
        f"/admin/petitions/petition/{petition.pk}/change/", {**data, "status": "open"}
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.closed_at is None


def test_the_petition_page_leads_to_the_organisers_tools(admin_client, petition):
    page = admin_client.get(f"/admin/petitions/petition/{petition.pk}/change/").text
    updates = f"/admin/organiser/update/?petition__id__exact={petition.pk}"
    for tool in [f"{petition.pk}/dashboard/", f"{petition.pk}/export/", updates]:
        assert tool.replace("&", "&amp;") in page, tool
    assert admin_client.get(updates).status_code == 200
