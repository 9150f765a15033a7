"""The proof-of-work challenge: adaptive, verified on the server, never replayable."""

import base64
import json

import altcha
import pytest

from firma.petitions.models import Petition, Signature
from tests.conftest import sign, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def long_window(settings):
    """Counting windows are fixed: a test must not straddle the end of one."""
    settings.SIGNING_CHALLENGE_WINDOW = 10_000_000


def solved(client, petition: Petition) -> str:
    """What the widget puts in the form: a fresh challenge from firma, solved."""
    response = client.get(url("petitions:challenge", slug=petition.slug))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    challenge = altcha.Challenge.from_dict(response.json())
    solution = altcha.solve_challenge(challenge)
    return altcha.Payload(challenge, solution).to_base64()


@pytest.fixture
def always(settings):
    settings.SIGNING_CHALLENGE = "always"
    settings.SIGNING_CHALLENGE_DIFFICULTY = 2


def test_normal_traffic_sees_no_challenge(client, petition):
    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert "data-altcha-challenge" not in page
    assert sign(client, petition).status_code == 302


def test_with_the_challenge_on_the_page_explains_it_to_browsers_without_javascript(
    client, petition, always
):
    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert f'data-altcha-challenge="{url("petitions:challenge", slug=petition.slug)}"' in page
    assert "<noscript>" in page
    assert "please allow JavaScript" in page
    assert 'id="altcha-settings" type="application/json"' in page
    assert "/static/firma/vendor/altcha/sha.js" in page


def test_a_solved_challenge_lets_the_signature_through_once(client, petition, always):
    payload = solved(client, petition)
    assert sign(client, petition, altcha=payload).status_code == 302
    assert Signature.objects.get().challenge_used is True
    replay = sign(client, petition, altcha=payload, email="second@example.org")
    assert replay.status_code == 400
    assert "anti-spam check" in replay.text
    assert Signature.objects.count() == 1


def tamper(payload: str, change) -> str:
    data = json.loads(base64.b64decode(payload))
    change(data)
    return base64.b64encode(json.dumps(data).encode()).decode()


@pytest.mark.parametrize(
    "forge",
    [
        lambda payload: "",
        lambda payload: "not base64 at all",
        lambda payload: payload[:-8],
        lambda payload: tamper(
            payload, lambda d: d["solution"].update(counter=d["solution"]["counter"] + 1)
        ),
        lambda payload: tamper(
            payload, lambda d: d["challenge"]["parameters"].update(keyPrefix="")
        ),
        lambda payload: tamper(payload, lambda d: d["challenge"].update(signature="0" * 64)),
    ],
)
def test_a_missing_wrong_or_forged_solution_is_refused(client, petition, always, forge):
    response = sign(client, petition, altcha=forge(solved(client, petition)))
    assert response.status_code == 400
    assert "anti-spam check" in response.text
    assert Signature.objects.count() == 0


def test_an_expired_challenge_is_refused(client, petition, always, settings):
    settings.SIGNING_CHALLENGE_EXPIRES = -10
    assert sign(client, petition, altcha=solved(client, petition)).status_code == 400


def test_the_organiser_decides_in_adaptive_mode(client, petition):
    petition.challenge = Petition.Challenge.ON
    petition.save()
    assert sign(client, petition).status_code == 400
    assert sign(client, petition, altcha=solved(client, petition)).status_code == 302


def test_the_site_wide_mode_overrides_the_petition(client, petition, settings):
    petition.challenge = Petition.Challenge.ON
    petition.save()
    settings.SIGNING_CHALLENGE = "never"
    assert sign(client, petition).status_code == 302


def test_it_switches_itself_on_when_signing_fails_a_lot(client, petition, settings):
    settings.SIGNING_CHALLENGE_MIN_FAILURES = 5
    settings.SIGNING_CHALLENGE_FAILURE_RATIO = 0.5
    settings.SIGNING_RATE_LIMITS = {**settings.SIGNING_RATE_LIMITS, "ip_burst": "1000/60"}
    for number in range(5):
        assert sign(client, petition, email=f"broken{number}").status_code == 400
    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert "data-altcha-challenge" in page
    assert sign(client, petition).status_code == 400
    assert sign(client, petition, altcha=solved(client, petition)).status_code == 302


def test_it_switches_itself_on_when_attempts_surge(client, petition, settings):
    settings.SIGNING_CHALLENGE_ATTEMPTS_PER_MINUTE = 3
    for number in range(4):
        sign(client, petition, email=f"s{number}@gmail.com", REMOTE_ADDR=f"198.51.100.{number}")
    assert sign(client, petition, REMOTE_ADDR="203.0.113.1").status_code == 400


def test_an_organiser_can_keep_it_off_even_under_attack(client, petition, settings):
    petition.challenge = Petition.Challenge.OFF
    petition.save()
    settings.SIGNING_CHALLENGE_ATTEMPTS_PER_MINUTE = 1
    for number in range(3):
        assert sign(client, petition, email=f"s{number}@gmail.com").status_code == 302
