"""The verifier over real HTTP, as a journalist runs it: the script's own urllib fetch against
firma served by the test server, and the API's OpenAPI description of the ledger."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from firma.api import openapi
from tests.ledger.conftest import confirm, publish

LEDGER_PATHS = {
    "/api/v1/ledger/public-key",
    "/api/v1/petitions/{slug}/ledger/head",
    "/api/v1/petitions/{slug}/ledger/heads",
    "/api/v1/petitions/{slug}/ledger/leaves",
    "/api/v1/petitions/{slug}/ledger/consistency",
    "/api/v1/petitions/{slug}/ledger/inclusion",
}


def test_the_openapi_document_describes_the_ledger():
    assert openapi.document()["paths"].keys() >= LEDGER_PATHS


@pytest.mark.django_db(transaction=True)
def test_the_command_and_the_script_verify_a_live_site(live_server, petition, capsys, tmp_path):
    confirm(petition, range(7))
    publish()
    call_command("verify_ledger", f"{live_server.url}/en/p/{petition.slug}/")
    assert "OK: size 7, count 7" in capsys.readouterr().out

    script = settings.BASE_DIR / "scripts" / "verify_ledger.py"
    saved = tmp_path / "head.json"
    url = f"{live_server.url}/api/v1/petitions/{petition.slug}/"
    done = subprocess.run(
        [sys.executable, "-I", str(script), url, "--save-head", str(saved)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert '"size": 7' in saved.read_text()

    done = subprocess.run(
        [sys.executable, "-I", str(script), f"{live_server.url}/en/p/no-such-petition/"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "MISMATCH: could not read" in done.stderr
