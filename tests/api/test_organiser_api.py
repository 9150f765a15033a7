"""The organisers' API: tokens of one organisation read and edit its petitions only."""

import csv
import io
import json

import pytest

from firma.api.models import ApiToken
from firma.api.tokens import create_token, hash_token
from firma.organiser.moderation import invalidations as invalidations
from firma.petitions.models import Petition
from tests.organiser.conftest import add

pytestmark = pytest.mark.django_db

SIGNATURES = "/api/v1/manage/petitions/{}/signatures"


def send(client, method: str, path: str, body, headers: dict):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, method)(path, data, content_type="application/json", headers=headers)


def test_tokens_are_stored_hashed(org_a):
    row, token = create_token(org_a, "CRM", ApiToken.Scope.READ)
    stored = ApiToken.objects.get(pk=row.pk)
    assert token.startswith(f"firma_{stored.prefix}_")
    assert stored.secret_hash == hash_token(token)
    assert token not in {str(value) for value in stored.__dict__.values()}


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "missing_token"),
        ("Basic dXNlcjpwYXNz", "missing_token"),
        ("Bearer nonsense", "invalid_token"),
        ("Bearer firma_000000000000_wrong", "invalid_token"),
    ],
)
def test_requests_without_a_valid_token_are_refused(client, petition_a, authorization, code):
    headers = {"authorization": authorization} if authorization else {}
    response = client.get(SIGNATURES.format("water-a"), headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == code
    assert "@" not in response.text


def test_a_token_with_a_wrong_secret_is_refused(client, petition_a, org_a):
    _, token = create_token(org_a, "CRM", ApiToken.Scope.READ)
    forged = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    response = client.get(
        SIGNATURES.format("water-a"), headers={"authorization": f"Bearer {forged}"}
    )
    assert response.json()["error"] == "invalid_token"


def test_a_revoked_token_is_refused(client, petition_a, org_a):
    row, token = create_token(org_a, "CRM", ApiToken.Scope.READ)
    headers = {"authorization": f"Bearer {token}"}
    assert client.get(SIGNATURES.format("water-a"), headers=headers).status_code == 200
    assert ApiToken.objects.get(pk=row.pk).last_used_at is not None
    ApiToken.objects.filter(pk=row.pk).update(revoked_at="2025-01-01T00:00:00Z")
    response = client.get(SIGNATURES.format("water-a"), headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "revoked_token"


def test_signatures_with_private_fields(client, petition_a, reader_a):
    response = client.get(SIGNATURES.format("water-a"), headers=reader_a)
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"no-store", "private"}
    assert "Access-Control-Allow-Origin" not in response
    results = response.json()["results"]
    assert [s["email"] for s in results] == [
        "ana@example.org",
        "marie@example.fr",
        "pending@example.org",
    ]
    assert results[0]["news_opt_in"] is True
    assert results[2]["status"] == "pending"


@pytest.mark.parametrize(
    ("query", "emails"),
    [
        ("status=confirmed", ["ana@example.org", "marie@example.fr"]),
        ("status=pending", ["pending@example.org"]),
        ("country=fr", ["marie@example.fr"]),
        ("since=2999-01-01", []),
        ("status=confirmed&limit=1", ["ana@example.org"]),
    ],
)
def test_filters(client, petition_a, reader_a, query, emails):
    data = client.get(SIGNATURES.format("water-a") + "?" + query, headers=reader_a).json()
    assert [s["email"] for s in data["results"]] == emails


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("status=deleted", "status", "invalid_choice"),
        ("country=XX", "country", "invalid_country"),
        ("since=yesterday", "since", "invalid"),
        ("cursor=!!", "cursor", "invalid_cursor"),
    ],
)
def test_bad_filters_are_coded_400s(client, petition_a, reader_a, query, field, code):
    response = client.get(SIGNATURES.format("water-a") + "?" + query, headers=reader_a)
    assert response.status_code == 400
    assert response.json()["fields"][field][0]["code"] == code


def test_invalidated_signatures(client, petition_a, org_a, reader_a):
    invalidations.invalidate(petition_a, {"email_domain": "example.fr"}, "test", None)
    data = client.get(SIGNATURES.format("water-a") + "?status=invalidated", headers=reader_a)
    [signature] = data.json()["results"]
    assert signature["email"] == "marie@example.fr"
    assert signature["valid"] is False


def test_pages_of_signatures_end_with_new_ones(client, petition_a, reader_a):
    first = client.get(SIGNATURES.format("water-a") + "?limit=2", headers=reader_a).json()
    assert len(first["results"]) == 2
    add(petition_a, "Newcomer", "new@example.org")
    second = client.get(first["next"], headers=reader_a).json()
    assert [s["email"] for s in second["results"]] == ["pending@example.org", "new@example.org"]
    assert second["next"] is None


def test_the_export_is_csv(client, petition_a, reader_a):
    response = client.get(SIGNATURES.format("water-a") + ".csv?status=confirmed", headers=reader_a)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["email"] for row in rows] == ["ana@example.org", "marie@example.fr"]


@pytest.mark.parametrize(
    "path",
    [
        SIGNATURES.format("secret-b"),
        SIGNATURES.format("secret-b") + ".csv",
        "/api/v1/osdi/petitions/secret-b/signatures",
        "/api/v1/manage/petitions/secret-b",
        "/api/v1/manage/petitions/secret-b/texts/en",
    ],
)
def test_another_organisations_petitions_do_not_exist(
    client, petition_a, petition_b, reader_a, path
):
    response = client.get(path, headers=reader_a)
    assert response.status_code == 404
    assert "bob" not in response.text


def test_the_organisations_petitions_drafts_included(client, petition_a, petition_b, writer_a):
    Petition.objects.filter(pk=petition_a.pk).update(status=Petition.Status.DRAFT)
    data = client.get("/api/v1/manage/petitions", headers=writer_a).json()
    assert [p["slug"] for p in data["results"]] == ["water-a"]
    assert data["results"][0]["status"] == "draft"


NEW = {
    "slug": "fair-pay",
    "goal": 500,
    "closes_on": "2030-01-31",
    "texts": [
        {"language": "en", "title": "Fair pay", "body": "Pay **fairly**."},
        {"language": "es", "title": "Salario justo"},
    ],
}


def test_a_read_token_cannot_write(client, petition_a, reader_a):
    response = send(client, "post", "/api/v1/manage/petitions", NEW, reader_a)
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    patch = send(client, "patch", "/api/v1/manage/petitions/water-a", {"goal": 5}, reader_a)
    assert patch.status_code == 403
    put = send(
        client, "put", "/api/v1/manage/petitions/water-a/texts/fr", {"title": "Eau"}, reader_a
    )
    assert put.status_code == 403
    assert not Petition.objects.filter(slug="fair-pay").exists()


def test_create_a_petition(client, org_a, writer_a):
    response = send(client, "post", "/api/v1/manage/petitions", NEW, writer_a)
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "draft"
    assert data["languages"] == ["en", "es"]
    petition = Petition.objects.get(slug="fair-pay")
    assert petition.organisation == org_a
    assert petition.goal == 500
    assert petition.text_for("es").title == "Salario justo"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({**NEW, "slug": "water-a"}, "slug", "unique"),
        ({**NEW, "slug": "not a slug"}, "slug", "invalid"),
        ({**NEW, "goal": -1}, "goal", "min_value"),
        ({**NEW, "goal": [1]}, "goal", "invalid_type"),
        ({**NEW, "status": "secret"}, "status", "invalid_choice"),
        ({**NEW, "closes_on": "soon"}, "closes_on", "invalid"),
        ({**NEW, "texts": []}, "texts", "required"),
        ({**NEW, "texts": [{"language": "en"}]}, "texts.0.title", "required"),
        (
            {**NEW, "texts": [{"language": "xx", "title": "X"}]},
            "texts.0.language",
            "invalid_choice",
        ),
        (
            {**NEW, "texts": [{"language": "en", "title": "A"}, {"language": "en", "title": "B"}]},
            "texts.1.language",
            "duplicate_language",
        ),
    ],
)
def test_invalid_petitions_are_coded_400s(client, petition_a, writer_a, body, field, code):
    response = send(client, "post", "/api/v1/manage/petitions", body, writer_a)
    assert response.status_code == 400
    assert response.json()["fields"][field][0]["code"] == code
    assert not Petition.objects.filter(slug="fair-pay").exists()


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", b"\xff"])
def test_bodies_that_are_not_json_objects(client, writer_a, body):
    response = send(client, "post", "/api/v1/manage/petitions", body, writer_a)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_json"


def test_update_changes_only_the_fields_sent(client, petition_a, writer_a):
    body = {"goal": 2000, "status": "closed"}
    response = send(client, "patch", "/api/v1/manage/petitions/water-a", body, writer_a)
    assert response.status_code == 200
    petition = Petition.objects.get(pk=petition_a.pk)
    assert (petition.goal, petition.status) == (2000, "closed")
    assert petition.closed_at is not None
    assert petition.country_field == "required"


def test_update_another_organisations_petition(client, petition_b, writer_a):
    response = send(client, "patch", "/api/v1/manage/petitions/secret-b", {"goal": 1}, writer_a)
    assert response.status_code == 404
    assert Petition.objects.get(pk=petition_b.pk).goal is None


def test_put_a_translation(client, petition_a, writer_a):
    path = "/api/v1/manage/petitions/water-a/texts/fr"
    created = send(client, "put", path, {"title": "De l'eau", "body": "Texte."}, writer_a)
    assert created.status_code == 201
    replaced = send(client, "put", path, {"title": "De l'eau pour A"}, writer_a)
    assert replaced.status_code == 200
    text = Petition.objects.get(pk=petition_a.pk).text_for("fr")
    assert (text.title, text.body) == ("De l'eau pour A", "")
    assert client.get(path, headers=writer_a).json()["title"] == "De l'eau pour A"
    missing = send(client, "put", path, {"body": "no title"}, writer_a)
    assert missing.json()["fields"]["title"][0]["code"] == "required"
    unknown = send(client, "put", path.replace("/fr", "/xx"), {"title": "X"}, writer_a)
    assert unknown.json()["fields"]["language"][0]["code"] == "invalid_choice"
