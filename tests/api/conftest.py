"""Every answer the API gives in these tests is checked against the OpenAPI document: its path,
method and status must be documented, and its body must match the documented schema."""

import json
import re

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from firma.api import openapi
from firma.api.models import ApiToken
from firma.api.tokens import create_token
from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from firma.tenancy.models import Membership, Organisation
from tests.api.receivers import Receiver
from tests.conftest import make_petition
from tests.organiser.conftest import add, member


def path_pattern(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(template)) + "/?$")


def resolve(document: dict, node: dict) -> dict:
    while "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        node = document["components"][section][name]
    return node


def validate(document: dict, schema: dict, data) -> None:
    full = {**schema, "components": document["components"]}
    validator = Draft202012Validator(full, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def check_against_document(method: str, path: str, response) -> None:
    document = openapi.document()
    error = {"$ref": "#/components/schemas/Error"}
    found = [(t, ops) for t, ops in document["paths"].items() if path_pattern(t).match(path)]
    assert len(found) <= 1, found
    if not found:
        assert response.status_code == 404, f"{method} {path} is not documented"
        if method != "HEAD":  # a HEAD answer has no body
            validate(document, error, json.loads(response.content))
        return
    template, operations = found[0]
    if method == "OPTIONS":
        assert response.status_code == 204
        return
    operation = operations.get("get" if method == "HEAD" else method.lower())
    if operation is None:
        assert response.status_code == 405, f"{method} {template} is not documented"
        if method != "HEAD":
            validate(document, error, json.loads(response.content))
        return
    documented = operation["responses"].get(str(response.status_code))
    assert documented, f"{method} {template}: {response.status_code} is not documented"
    documented = resolve(document, documented)
    if "content" not in documented:
        assert not response.content
        return
    media = response["Content-Type"].split(";")[0]
    assert media in documented["content"], f"{method} {template}: {media} is not documented"
    if method != "HEAD" and media.endswith("json"):
        validate(document, documented["content"][media]["schema"], json.loads(response.content))


class CheckedClient(Client):
    """The test client, checking every /api/ answer against the OpenAPI document."""

    def request(self, **request):
        response = super().request(**request)
        path = request["PATH_INFO"]
        if path.startswith("/api/"):
            check_against_document(request["REQUEST_METHOD"], path, response)
        return response


@pytest.fixture
def client() -> CheckedClient:
    return CheckedClient()


@pytest.fixture
def org_a(db) -> Organisation:
    return Organisation.objects.create(name="Union A", slug="union-a")


@pytest.fixture
def org_b(db) -> Organisation:
    return Organisation.objects.create(name="Campaign B", slug="campaign-b")


@pytest.fixture
def petition_a(org_a) -> Petition:
    petition = make_petition(
        slug="water-a", organisation=org_a, goal=1000, texts={"en": ("Water for A", "Text A.")}
    )
    add(petition, "Ana Souza Lima", "ana@example.org", country="BR", public=True, news_opt_in=True)
    add(petition, "Marie Dubois", "marie@example.fr", country="FR", comment="Oui")
    add(petition, "Pending Person", "pending@example.org", status=Signature.Status.PENDING)
    counting.reconcile()
    return petition


@pytest.fixture
def petition_b(org_b) -> Petition:
    petition = make_petition(
        slug="secret-b", organisation=org_b, texts={"en": ("Plan of B", "Text B.")}
    )
    add(petition, "Bob Bravo", "bob@b-mail.example", country="FR")
    counting.reconcile()
    return petition


def bearer(token: str) -> dict:
    return {"authorization": f"Bearer {token}"}


@pytest.fixture
def reader_a(org_a) -> dict:
    return bearer(create_token(org_a, "CRM", ApiToken.Scope.READ)[1])


@pytest.fixture
def writer_a(org_a) -> dict:
    return bearer(create_token(org_a, "Site", ApiToken.Scope.READ_WRITE)[1])


@pytest.fixture
def writer_b(org_b) -> dict:
    return bearer(create_token(org_b, "B's CRM", ApiToken.Scope.READ_WRITE)[1])


@pytest.fixture
def owner_a(org_a):
    return member(org_a, Membership.Role.OWNER, "owner-a")


@pytest.fixture
def receiver():
    found = Receiver()
    found.thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


@pytest.fixture
def hook_settings(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_RETRY_DELAYS = [0, 0]
    return settings
