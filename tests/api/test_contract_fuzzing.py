"""The API against its own document: requests generated from /api/openapi.json, valid and not,
with a token. Every answer must be documented (CheckedClient checks status, content type and
body), none may be a 5xx, and a request the document allows must not be refused."""

import json
from datetime import UTC

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firma.api import openapi
from firma.api.forms import encode_cursor
from firma.petitions.models import Signature

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DOCUMENT = openapi.document()
GARBAGE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "-1", "0", "1e9", "true", "null", "[]", "\x00", "%", "../"]),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)


def resolved(schema: dict) -> dict:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def valid_value(parameter: dict) -> st.SearchStrategy[str]:
    """A value the parameter's schema allows."""
    schema = parameter["schema"]
    if parameter["name"] == "cursor":  # opaque: any the API could have given
        return st.integers(min_value=1, max_value=10**9).map(encode_cursor)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if schema.get("type") == "integer":
        low, high = schema.get("minimum", -(10**6)), schema.get("maximum", 10**6)
        return st.integers(min_value=low, max_value=high).map(str)
    if schema.get("type") == "boolean":
        return st.sampled_from(["true", "false"])
    if "anyOf" in schema:  # a date-time, or a date
        moments = st.datetimes(timezones=st.just(UTC)).filter(lambda d: d.year > 1900)
        return st.one_of(
            moments.map(lambda moment: moment.isoformat()),
            moments.map(lambda moment: moment.date().isoformat()),
        )
    if parameter["name"] == "country":
        return st.sampled_from(["BR", "FR", "cl", "AR"])
    letters = st.characters(codec="ascii", categories=["L", "N"])
    return st.text(alphabet=letters, min_size=schema.get("minLength", 0), max_size=20)


def operations(*methods: str) -> list[tuple[str, str, dict]]:
    found = []
    for template, item in DOCUMENT["paths"].items():
        for method in methods:
            if method in item:
                parameters = [*item.get("parameters", []), *item[method].get("parameters", [])]
                found.append((template, method, {**item[method], "parameters": parameters}))
    return found


def concrete(template: str, slug: str, language: str = "en") -> str:
    # A signature of the petition, where the path names one: its first.
    first = Signature.objects.filter(petition__slug=slug).order_by("pk").first()
    signature_id = str(first.pk) if first else "1"
    return (
        template.replace("{slug}", slug)
        .replace("{language}", language)
        .replace("{signature_id}", signature_id)
    )


def send(client, method: str, path: str, query: dict, headers: dict, body=None):
    kwargs = {"data": query} if method in ("get", "head") else {}
    if body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return getattr(client, method)(path, headers=headers, **kwargs)


GETS = operations("get")


@pytest.mark.parametrize(("template", "method", "operation"), GETS, ids=[g[0] for g in GETS])
def test_allowed_requests_are_answered(client, petition_a, reader_a, template, method, operation):
    queries = [p for p in operation["parameters"] if p["in"] == "query"]
    strategy = st.fixed_dictionaries(
        {p["name"]: valid_value(p) for p in queries if p.get("required")},
        optional={p["name"]: valid_value(p) for p in queries if not p.get("required")},
    )

    @FUZZ
    @given(query=strategy)
    def check(query):
        response = send(client, method, concrete(template, petition_a.slug), query, reader_a)
        if "x-parameter-rules" in operation and response.status_code == 400:
            # Values each allowed, together breaking a documented rule between them.
            assert response.json()["error"] == "invalid"
            return
        assert response.status_code in (200, 304), (query, response.content[:300])

    check()


@pytest.mark.parametrize(("template", "method", "operation"), GETS, ids=[g[0] for g in GETS])
def test_any_request_gets_a_documented_answer(
    client, petition_a, reader_a, template, method, operation
):
    names = [p["name"] for p in operation["parameters"] if p["in"] == "query"] + ["other"]
    strategy = st.dictionaries(st.sampled_from(names), GARBAGE, max_size=4)
    slugs = st.one_of(st.just(petition_a.slug), st.sampled_from(["", "x", "none", "é", "a b"]))

    @FUZZ
    @given(query=strategy, slug=slugs, verb=st.sampled_from(["get", "head", "options"]))
    def check(query, slug, verb):
        path = concrete(template, slug)
        response = send(client, verb, path, query, reader_a)
        assert response.status_code < 500

    check()


BODIES = operations("post", "patch", "put")


def body_strategy(operation: dict) -> st.SearchStrategy[dict]:
    schema = resolved(operation["requestBody"]["content"]["application/json"]["schema"])
    names = [*schema.get("properties", {}), "unknown"]
    values = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**6), max_value=10**6),
        st.text(max_size=40),
        st.sampled_from(["en", "open", "closed", "required", "2030-01-01", "new-slug"]),
        st.lists(st.text(max_size=5), max_size=2),
        st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    )
    return st.one_of(st.dictionaries(st.sampled_from(names), values, max_size=6), GARBAGE)


@pytest.mark.parametrize(
    ("template", "method", "operation"), BODIES, ids=[f"{b[1]} {b[0]}" for b in BODIES]
)
def test_any_body_gets_a_documented_answer(
    client, petition_a, writer_a, template, method, operation
):
    @FUZZ
    @given(body=body_strategy(operation), language=st.sampled_from(["en", "es", "xx"]))
    def check(body, language):
        path = concrete(template, petition_a.slug, language)
        response = send(client, method, path, {}, writer_a, body=body)
        assert response.status_code < 500

    check()


@given(path=st.text(alphabet="abcdefv1/._-%", max_size=40))
@FUZZ
def test_every_path_under_the_api_answers_json(client, path):
    response = client.get("/api/" + path)
    assert response.status_code < 500
    assert response["Content-Type"].split(";")[0] in (
        "application/json",
        "application/hal+json",
        "text/csv",
    ), (path, response["Content-Type"])


def forbidden_value(parameter: dict) -> st.SearchStrategy[str]:
    """A value the parameter's schema does not allow."""
    schema = parameter["schema"]
    if "enum" in schema:
        return st.text(max_size=12).filter(lambda value: value not in schema["enum"])
    if schema.get("type") == "integer":
        high = schema.get("maximum", 10**6)
        return st.one_of(
            st.sampled_from(["", "abc", "1.5", "1e3", " "]),
            st.integers(max_value=schema.get("minimum", 0) - 1).map(str),
            st.integers(min_value=high + 1).map(str),
        )
    if "anyOf" in schema:  # a date or a date-time
        return st.sampled_from(["", "yesterday", "2025-13-45", "01/02/2025", "now"])
    if "pattern" in schema:
        return st.sampled_from(["", "B", "BRA", "1", "b-"])
    return st.just("")  # minLength 1


WITH_QUERIES = [g for g in GETS if any(p["in"] == "query" for p in g[2]["parameters"])]


@pytest.mark.parametrize(
    ("template", "method", "operation"), WITH_QUERIES, ids=[g[0] for g in WITH_QUERIES]
)
def test_requests_the_document_forbids_are_refused(
    client, petition_a, reader_a, template, method, operation
):
    queries = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}

    @FUZZ
    @given(data=st.data())
    def check(data):
        name = data.draw(st.sampled_from(sorted(queries)))
        value = data.draw(forbidden_value(queries[name]))
        # The other required parameters well formed, so that the answer is about this one.
        others = {
            other: data.draw(valid_value(parameter))
            for other, parameter in queries.items()
            if other != name and parameter.get("required")
        }
        query = {**others, name: value}
        response = send(client, method, concrete(template, petition_a.slug), query, reader_a)
        assert response.status_code == 400, (name, value, response.status_code)
        assert name in response.json()["fields"]

    check()


@pytest.mark.parametrize(
    "body",
    [
        {"allow_embedding": "yes"},
        {"allow_embedding": 1},
        {"goal": "12"},
        {"goal": -1},
        {"retention_days": True},
        {"status": "reopened"},
        {"slug": 5},
    ],
)
def test_a_body_the_document_forbids_is_refused(client, petition_a, writer_a, body):
    path = f"/api/v1/manage/petitions/{petition_a.slug}"
    response = send(client, "patch", path, {}, writer_a, body=body)
    assert response.status_code == 400
    assert set(response.json()["fields"]) == set(body)
