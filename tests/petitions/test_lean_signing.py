"""The lean signing path (petitions/signing/lean.py) and the form judge every field by the same
rules: each rule gives the same answer on both, and both store the same row."""

import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client

from firma.petitions.models import ConsentRecord, FieldSetting, Question, Signature
from firma.petitions.rules import signer as rules
from firma.petitions.signing import lean
from firma.petitions.signing.forms import EmbedSignatureForm, SignatureForm
from firma.petitions.signing.services import SUBMITTED_FIELDS
from tests.conftest import make_petition, signing_data, url
from tests.petitions.test_validation import field_error

pytestmark = pytest.mark.django_db

# What a form filled ten minutes ago carries.
STARTED = object()
# The embedded form's token for the petition under test.
TOKEN = object()

# Each rule about a submitted field, with a value it takes and one it refuses where it refuses.
CASES = {
    "name tidied": {"full_name": "  Ana \u202e\u0007 Souza \n"},
    "name missing": {"full_name": "  "},
    "name too long": {"full_name": "x" * 121},
    "name with a null character": {"full_name": "Ana\u0000Souza"},
    "affiliation tidied": {"organization": "\tUnion\u200b "},
    "affiliation required": {"organization": ""},
    "affiliation too long": {"organization": "o" * 201},
    "country": {"country": " PL "},
    "country missing": {"country": ""},
    "country not on the list": {"country": "XX"},
    "e-mail normalised": {"email": " Lukasz@Example.ORG "},
    "e-mail international": {"email": "josé@correo.example.com"},
    "e-mail missing": {"email": ""},
    "e-mail invalid": {"email": "ana@example"},
    "e-mail too long": {"email": "a" * 64 + "@" + "b" * 60 + ".c" * 70 + ".org"},
    "e-mail disposable": {"email": "ana@mailinator.com"},
    "e-mail undeliverable": {"email": "ana@nowhere.example", "deliverability": True},
    "comment tidied": {"comment": "  line one\r\nline two  "},
    "comment too long": {"comment": "c" * 1001},
    "consents ticked": {"public": "on", "news_opt_in": "true"},
    "consents unticked": {"public": "false", "news_opt_in": "0"},
    "consents absent": {"public": None},
    "organisation's news": {"organisation_news": "on"},
    "signing as an individual": {"signing_as": "individual"},
    "signing for an organisation": {
        "signing_as": "organisation",
        "organisation_name": "Teachers' Union",
        "organisation_position": "Secretary",
        "form_only": True,
    },
    "signing as something else": {"signing_as": "robot"},
    "brought by an unknown partner": {"via": "nobody", "form_only": True},
    "honeypot": {"website": "https://spam.example"},
    "timer fresh": {"started": "fresh"},
    "timer missing": {"started": None},
    "timer forged": {"started": "1700000000.0:forged"},
    "source and referrer": {"source": " News-Letter!2 ", "referrer": "News.Example.ORG."},
    "referrer not a site": {"referrer": "localhost"},
    "hidden fields ignored": {
        "organization": "ignored",
        "country": "XX",
        "petition": {
            "organization_field": FieldSetting.HIDDEN,
            "country_field": FieldSetting.HIDDEN,
        },
    },
    "comment required": {"comment": "", "petition": {"comment_field": FieldSetting.REQUIRED}},
    "embed": {"embed": True},
    "embed with a source": {"embed": True, "source": "partner"},
    "embed token forged": {"embed": True, "embed_token": "forged"},
    "embed token missing": {"embed": True, "embed_token": None},
}


def case_data(petition, case: dict) -> dict:
    """The POST a browser sends for this case."""
    data = signing_data(started=STARTED, embed_token=TOKEN if case.get("embed") else None)
    data.update({key: value for key, value in case.items() if key in rules_fields(case)})
    if data.get("started") is STARTED:
        data["started"] = signing.dumps(time.time() - 600, salt=rules.TIMER_SALT)
    elif data.get("started") == "fresh":
        data["started"] = rules.timer()
    if data.get("embed_token") is TOKEN:
        data["embed_token"] = rules.embed_token(petition.pk)
    return {key: value for key, value in data.items() if value is not None}


def rules_fields(case: dict) -> set[str]:
    return set(case) - {"petition", "embed", "deliverability", "form_only"}


@pytest.fixture
def case_petition(request):
    case = CASES[request.param]
    return case, make_petition(allow_embedding=True, **case.get("petition", {}))


@pytest.fixture(autouse=True)
def known_mail_servers(settings):
    """Whether each domain receives mail, as the DNS check would have cached it."""
    cache.set("mx:nowhere.example", False)
    cache.set("mx:correo.example.com", True)
    cache.set("mx:example.org", True)


def as_query(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query[key] = value
    return query


@pytest.mark.parametrize("case_petition", CASES, indirect=True)
def test_each_rule_gives_the_same_answer_on_both_paths(case_petition, settings, monkeypatch):
    case, petition = case_petition
    settings.EMAIL_CHECK_DELIVERABILITY = case.get("deliverability", False)
    data = as_query(case_data(petition, case))
    # Both read the form's timer at the same moment.
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    form_class = EmbedSignatureForm if case.get("embed") else SignatureForm
    form = form_class(petition, data)
    lean_submission = lean.submission(petition, data, embed=case.get("embed", False))
    if case.get("form_only"):
        assert lean_submission is None  # left to the form, which the HTTP test below compares
    elif form.is_valid():
        assert lean_submission == form.submission()
    else:
        assert lean_submission is None


def stored(response) -> tuple[int, object]:
    """What a sign POST left behind: its status and the row it stored, or the errors it shows."""
    rows = list(Signature.objects.values("email", "mailbox", "email_domain", *SUBMITTED_FIELDS))
    consents = sorted(
        ConsentRecord.objects.values_list("choice", "given", "channel", "wording__digest")
    )
    Signature.objects.all().delete()
    cache.clear()  # the rate limits start afresh for the other path
    if response.status_code != 302:
        assert not rows
        [summary] = re.findall(r'<div class="error-summary".*?</div>', response.text, re.S)
        return response.status_code, summary
    [row] = rows
    del row["created_at"]
    # The two posts read the clock apart: whether the form's time was known is what compares.
    row["fill_seconds"] = row["fill_seconds"] is not None
    row["consents"] = consents
    return response.status_code, row


@pytest.mark.parametrize("case_petition", CASES, indirect=True)
def test_both_paths_answer_alike_and_store_the_same_row(case_petition, settings):
    case, petition = case_petition
    settings.EMAIL_CHECK_DELIVERABILITY = case.get("deliverability", False)
    # A fresh form is too fast, one filled ten minutes ago is not, however slow the posts.
    settings.SIGNING_MIN_FILL_SECONDS = 300
    data = case_data(petition, case)
    endpoint = "petitions:embed_sign" if case.get("embed") else "petitions:sign"
    outcomes = {}
    for lean_path in (True, False):
        settings.SIGNING_LEAN = lean_path
        cache.set("mx:nowhere.example", False)
        cache.set("mx:correo.example.com", True)
        response = Client().post(url(endpoint, slug=petition.slug), data)
        outcomes[lean_path] = stored(response)
    assert outcomes[True] == outcomes[False]


def test_the_lean_path_stores_what_the_signer_typed(settings):
    petition = make_petition()
    data = signing_data(
        full_name=" Łukasz \u202eŻółć ",
        email="Lukasz@Example.ORG",
        country="PL",
        comment="Solidarność!\r\n",
        news_opt_in="on",
        source="Newsletter",
        referrer="News.Example.org",
        started=signing.dumps(time.time() - 60, salt=rules.TIMER_SALT),
    )
    response = Client().post(url("petitions:sign", slug=petition.slug), data)
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.full_name, signature.email, signature.country) == (
        "Łukasz Żółć",
        "lukasz@example.org",
        "PL",
    )
    assert (signature.comment, signature.public, signature.news_opt_in) == (
        "Solidarność!",
        True,
        True,
    )
    assert (signature.source, signature.referrer, signature.flags) == (
        "newsletter",
        "news.example.org",
        "",
    )
    assert 59 <= signature.fill_seconds <= 3600
    assert signature.emailed_at is not None


def test_an_error_falls_through_to_the_form_which_explains_it(client):
    petition = make_petition()
    response = client.post(
        url("petitions:sign", slug=petition.slug), signing_data(email="ana@mailinator.com")
    )
    assert response.status_code == 400
    assert "permanent e-mail address" in field_error(response.text, "email")
    assert not Signature.objects.exists()


def test_a_limit_hit_on_the_lean_path_shows_the_form_as_typed(client, settings):
    settings.SIGNING_RATE_LIMITS = {**settings.SIGNING_RATE_LIMITS, "ip_burst": "1/60"}
    petition = make_petition()
    assert client.post(url("petitions:sign", slug=petition.slug), signing_data()).status_code == 302
    response = client.post(
        url("petitions:sign", slug=petition.slug),
        signing_data(email="second@example.org", full_name="Second Signer"),
    )
    assert response.status_code == 429
    assert 'value="Second Signer"' in response.text
    assert Signature.objects.count() == 1


def test_a_question_added_is_asked_at_once_by_the_process_that_added_it(client, settings):
    """What the lean path reads of a petition is kept with the process's copy of it
    (signing.facts); a change made in the same process is seen by the next sign POST."""
    settings.PAGE_CACHE_SECONDS = 60
    petition = make_petition()
    sign_url = url("petitions:sign", slug=petition.slug)
    assert client.post(sign_url, signing_data()).status_code == 302
    assert client.post(sign_url, signing_data(email="first@example.org")).status_code == 302
    Question.objects.create(
        petition=petition, key="workplace", kind="short_text", label="Workplace", required=True
    )
    response = client.post(sign_url, signing_data(email="second@example.org"))
    assert response.status_code == 400
    assert Signature.objects.count() == 2
