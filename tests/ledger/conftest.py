"""The ledger's tests: signatures confirmed and changed through firma's own services, the fold
and the head task run by hand, and the verifier reading the API through the test client."""

import contextlib
import io
import json
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from firma.ledger import tasks
from firma.ledger.management.commands.verify_ledger import verifier
from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from firma.petitions.signing import services as signing
from tests.api.conftest import CheckedClient
from tests.conftest import make_petition

KEY = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"  # RFC 8032 test 1


@pytest.fixture(autouse=True)
def signing_key(settings):
    settings.LEDGER_SIGNING_KEY = KEY


@pytest.fixture
def client() -> CheckedClient:
    """Every /api/ answer checked against the OpenAPI document."""
    return CheckedClient()


@pytest.fixture
def petition(db) -> Petition:
    return make_petition(slug="clean-water")


def add(petition: Petition, number: int, **fields) -> Signature:
    """A pending signature, as the sign request leaves it."""
    fields.setdefault("country", "BR")
    return Signature.objects.create(
        petition=petition,
        full_name=f"Signer {number}",
        email=f"signer{number}@example.org",
        language="en",
        **fields,
    )


def confirm(petition: Petition, numbers) -> list[Signature]:
    found = []
    for number in numbers:
        signature = add(petition, number)
        signing.confirm(signature)
        found.append(signature)
    return found


def publish() -> None:
    """What the worker does: fold the counts (the ledger appends), then sign the heads."""
    counting.fold_tallies.call()
    tasks.publish_heads.call()


def fetcher(client):
    """scripts/verify_ledger.py's fetch, through the test client: raises like urllib."""

    def fetch(url: str) -> bytes:
        parts = urlsplit(url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        if response.status_code != 200:
            raise OSError(f"HTTP {response.status_code} for {url}")
        return response.content

    return fetch


def verify(client, petition: Petition, *extra: str) -> tuple[int, str]:
    """Run the verifier on the petition's page address; (exit status, what it said)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = verifier().main(
            [f"http://testserver/en/p/{petition.slug}/", *extra], fetch=fetcher(client)
        )
    return status, out.getvalue() + err.getvalue()


def command(client, petition: Petition, *extra: str) -> None:
    call_command(
        "verify_ledger",
        f"http://testserver/api/v1/petitions/{petition.slug}/",
        *extra,
        fetch=fetcher(client),
    )


def entries(client, petition: Petition) -> list[dict]:
    response = client.get(f"/api/v1/petitions/{petition.slug}/ledger/leaves?start=0")
    return [json.loads(leaf["entry"]) for leaf in response.json()["leaves"]]
