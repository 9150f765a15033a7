"""The public API, /api/v1/: petitions, counts and listed signers, cacheable and open to any
origin, with JSON errors for every mistake."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from tests.conftest import make_petition
from tests.organiser.conftest import add

pytestmark = pytest.mark.django_db


def local(url: str) -> str:
    """The path and query of an absolute URL the API gave."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_the_list_has_public_petitions_only(client, petition_a, settings):
    settings.BASE_URL = "https://petitions.example.org"
    make_petition(slug="draft", status=Petition.Status.DRAFT)
    make_petition(slug="over", status=Petition.Status.CLOSED)
    data = client.get("/api/v1/petitions").json()
    assert [p["slug"] for p in data["results"]] == ["over", "water-a"]
    assert data["next"] is None
    water = data["results"][1]
    assert water["signature_count"] == 2
    assert water["url"] == "https://petitions.example.org/en/p/water-a/"
    assert water["api_url"] == "https://petitions.example.org/api/v1/petitions/water-a"


def test_the_detail_has_every_text(client, petition):
    data = client.get(f"/api/v1/petitions/{petition.slug}").json()
    assert data["goal"] == 100
    assert data["status"] == "open"
    assert [(t["language"], t["title"]) for t in data["texts"]] == [
        ("en", "Clean water for every school"),
        ("es", "Agua limpia para cada escuela"),
    ]
    assert data["texts"][1]["url"].endswith("/es/p/clean-water/")
    assert data["languages"] == ["en", "es"]


@pytest.mark.parametrize("path", ["", "/counts/countries", "/counts/days", "/signers"], ids=str)
def test_drafts_and_unknown_petitions_are_json_404s(client, path):
    make_petition(slug="draft", status=Petition.Status.DRAFT)
    for slug in ["draft", "nope"]:
        response = client.get(f"/api/v1/petitions/{slug}{path}")
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


def test_counts_by_country_come_from_the_tallies(client, petition_a):
    data = client.get("/api/v1/petitions/water-a/counts/countries").json()
    assert data == {
        "petition": "water-a",
        "total": 2,
        "countries": [{"country": "BR", "count": 1}, {"country": "FR", "count": 1}],
    }


def test_counts_by_day(client, petition_a):
    for day, email in [(1, "a@x.example"), (1, "b@x.example"), (3, "c@x.example")]:
        add(petition_a, "Someone", email, confirmed_at=datetime(2025, 5, day, 12, tzinfo=UTC))
    add(petition_a, "Not yet", "d@x.example", status=Signature.Status.PENDING)
    days = client.get("/api/v1/petitions/water-a/counts/days").json()["days"]
    assert days[:2] == [{"date": "2025-05-01", "count": 2}, {"date": "2025-05-03", "count": 1}]
    assert sum(day["count"] for day in days) == 5


def test_the_signer_list_shows_listed_signers_only(client, petition):
    add(petition, "Listed Lena", "lena@example.org", public=True, country="AR", comment="Sí")
    add(petition, "Private Pia", "pia@example.org", public=False)
    add(petition, "Hidden Hugo", "hugo@example.org", public=True, hidden=True)
    add(petition, "Pending Paul", "paul@example.org", public=True, status="pending")
    add(
        petition, "Quiet Quim", "quim@example.org", public=True, comment="rude", comment_hidden=True
    )
    response = client.get(f"/api/v1/petitions/{petition.slug}/signers")
    results = response.json()["results"]
    assert [r["name"] for r in results] == ["Quiet Quim", "Listed Lena"]
    assert results[0]["comment"] == ""
    assert results[1]["country"] == "AR"
    assert results[1]["comment"] == "Sí"
    for private in ["@example.org", "Pia", "Hugo", "Paul", "rude"]:
        assert private not in response.text


def test_the_signer_list_pages_with_a_cursor(client, petition):
    names = [f"Signer {number:02}" for number in range(7)]
    for name in names:
        add(petition, name, f"{name.replace(' ', '')}@example.org", public=True)
    seen, url = [], f"/api/v1/petitions/{petition.slug}/signers?limit=3"
    while url:
        data = client.get(url).json()
        assert len(data["results"]) <= 3
        seen += [signer["name"] for signer in data["results"]]
        url = data["next"] and local(data["next"])
        # A signer arriving meanwhile goes to the top: no name repeats or goes missing below.
        add(petition, f"Late {len(seen)}", f"late{len(seen)}@example.org", public=True)
    assert seen == list(reversed(names))


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("cursor=nonsense", "cursor", "invalid_cursor"),
        ("cursor=%F0%9F%92%A5", "cursor", "invalid_cursor"),
        ("cursor=cGs6LTE", "cursor", "invalid_cursor"),  # "pk:-1"
        ("limit=0", "limit", "min_value"),
        ("limit=100000", "limit", "max_value"),
        ("limit=ten", "limit", "invalid"),
    ],
)
def test_bad_parameters_are_coded_400s(client, petition, query, field, code):
    for path in [f"/api/v1/petitions/{petition.slug}/signers", "/api/v1/petitions"]:
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert response.json()["error"] == "invalid"
        assert response.json()["fields"][field][0]["code"] == code


def test_etag_and_304(client, petition):
    path = f"/api/v1/petitions/{petition.slug}"
    first = client.get(path)
    assert first["Cache-Control"] == "public, max-age=1, stale-while-revalidate=5"
    assert first["Last-Modified"]
    again = client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    since = client.get(path, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304

    add(petition, "New Signer", "new@example.org")
    counting.reconcile()
    changed = client.get(path, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed.json()["signature_count"] == 1


def test_cors_for_get_and_preflight(client, petition):
    path = f"/api/v1/petitions/{petition.slug}/counts/countries"
    response = client.get(path, headers={"origin": "https://union.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        path,
        headers={
            "origin": "https://union.example",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_the_public_api_is_read_only(client, petition):
    response = client.post(f"/api/v1/petitions/{petition.slug}", {"goal": 1})
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert "GET" in response["Allow"]
    assert client.delete("/api/v1/petitions").status_code == 405


def test_unknown_addresses_are_json_404s(client):
    for path in ["/api/v2/petitions", "/api/v1/nothing/here", "/api/"]:
        response = client.post(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_rate_limit(client, petition, settings):
    settings.API_RATE_LIMIT = "3/60"
    path = f"/api/v1/petitions/{petition.slug}"
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(path)
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    elsewhere = client.get(path, REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 200
