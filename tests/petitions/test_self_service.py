"""The private link in a signer's e-mails: see, download, change or delete the signature."""

import html
import json
import re
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest
from django.core import signing
from django.utils import timezone

from firma.petitions import counting
from firma.petitions.models import Signature
from firma.petitions.signing import services as petition_signing
from firma.petitions.tokens import (
    SELF_SERVICE_SALT,
    confirmation_token,
    self_service_token,
)
from tests.conftest import confirmation_path, cool_down_passed, make_petition, run_worker, sign, url

pytestmark = pytest.mark.django_db

PAGES = [
    "petitions:my_signature",
    "petitions:my_signature_data",
    "petitions:my_signature_listing",
    "petitions:my_signature_news",
    "petitions:my_signature_partners",
    "petitions:my_signature_delete",
]
CHANGES = [
    ("petitions:my_signature_listing", {"public": "False"}),
    ("petitions:my_signature_news", {}),
    ("petitions:my_signature_delete", {"confirm": "on"}),
]


def self_service_path(message: EmailMessage) -> str:
    text = message.get_body(("plain",)).get_content()
    links = re.findall(r"https?://[^/\s]+(/\S*/my/\S+/)", text)
    assert len(links) == 1, text
    return links[0]


def page_url(name: str, signature: Signature, token: str | None = None, **kwargs) -> str:
    token = token or self_service_token(signature)
    return url(name, slug=signature.petition.slug, token=token, **kwargs)


def without_token(text: str) -> str:
    """Private links without their token, which is signed afresh each time."""
    return re.sub(r"/my/[^/\"]+/", "/my/-/", text)


def stored(signature: Signature) -> dict:
    """Every column of the signature as stored now."""
    return Signature.objects.filter(pk=signature.pk).values().get()


@pytest.fixture
def link(client, petition, mailbox) -> str:
    """Ana has signed, asked for news and confirmed: the private link from her e-mail."""
    sign(client, petition, news_opt_in="on", comment="Water is a right.")
    run_worker()
    client.post(confirmation_path(mailbox.messages[0]))
    return self_service_path(mailbox.messages[0])


@pytest.fixture
def signature(link) -> Signature:
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.CONFIRMED
    return signature


def public_names(client, petition) -> str:
    return client.get(url("petitions:detail", slug=petition.slug)).text


def test_the_confirmation_email_brings_a_private_link_to_the_signature(client, petition, mailbox):
    sign(client, petition)
    run_worker()
    message = mailbox.to("ana@example.org")[0]
    path = self_service_path(message)
    html_part = message.get_body(("html",)).get_content()
    assert f'{path}">See, change or delete your signature</a>' in html_part
    assert confirmation_path(message) != path

    page = html.unescape(client.get(path).text)
    for shown in ["Ana Souza", "Teachers' Union", "Brazil", "ana@example.org"]:
        assert shown in page
    assert "Waiting for confirmation" in page


def test_the_already_signed_note_brings_the_link_too(client, petition, mailbox, link):
    cool_down_passed()
    sign(client, petition)
    run_worker()
    note = mailbox.to("ana@example.org")[-1]
    assert "already signed" in note["Subject"]
    assert without_token(self_service_path(note)) == without_token(link)


def test_the_page_shows_everything_kept(client, signature, link):
    page = html.unescape(client.get(link).text)
    for shown in [
        "Ana Souza",
        "Teachers' Union",
        "Brazil",
        "ana@example.org",
        "Water is a right.",
        "Confirmed",
        "English",
    ]:
        assert shown in page
    listed = page[page.index("Listed publicly") :]
    assert listed.index("Yes") < listed.index("News about this petition")


def test_the_ip_hash_and_other_signals_are_only_said_to_exist(client, signature, link):
    Signature.objects.update(ip_hash="c0ffee" * 10, user_agent_family="Firefox", flags="too_fast")
    page = client.get(link).text
    assert "a hash of your IP address" in page
    data = client.get(link + "data.json").text
    for secret in ["c0ffee", "Firefox", "too_fast"]:
        assert secret not in page
        assert secret not in data
    assert json.loads(data)["anti_fraud_signals_stored"][:2] == ["ip_hash", "user_agent_family"]


@pytest.mark.parametrize("name", PAGES)
def test_opening_any_page_changes_nothing(client, signature, name):
    before = stored(signature)
    for method in (client.get, client.head):
        assert method(page_url(name, signature)).status_code == 200
    assert stored(signature) == before


def test_the_signature_page_itself_changes_nothing_in_one_click(client, signature, link):
    page = without_token(client.get(link).text)
    assert 'method="post"' not in page
    for name, _data in CHANGES:
        assert f'href="{without_token(page_url(name, signature))}"' in page


def test_the_data_downloads_as_json(client, signature, link):
    response = client.get(link + "data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="signature-clean-water.json"'
    data = json.loads(response.content)
    assert data["petition"]["slug"] == "clean-water"
    assert data["petition"]["title"] == "Clean water for every school"
    assert data["full_name"] == "Ana Souza"
    assert data["organization"] == "Teachers' Union"
    assert data["country"] == "BR"
    assert data["email"] == "ana@example.org"
    assert data["comment"] == "Water is a right."
    assert data["listed_publicly"] is True
    assert data["news_opt_in"] is True
    assert data["status"] == "confirmed"
    assert data["language"] == "en"
    signed_at = datetime.fromisoformat(data["signed_at"].replace("Z", "+00:00"))
    assert abs(signed_at - signature.created_at) < timedelta(seconds=1)
    assert data["confirmed_at"] is not None


def test_leaving_and_joining_the_public_list(client, petition, signature):
    listing = page_url("petitions:my_signature_listing", signature)
    assert "Ana Souza" in public_names(client, petition)

    form = client.get(listing).text
    assert 'name="public" value="False"' in form
    response = client.post(listing, {"public": "False"}, follow=True)
    [(location, status)] = response.redirect_chain
    assert status == 302
    assert without_token(location) == without_token(page_url("petitions:my_signature", signature))
    assert "no longer shown in the public list" in response.text
    assert "Ana Souza" not in public_names(client, petition)
    assert counting.total(petition) == 1  # still counted

    assert 'name="public" value="True"' in client.get(listing).text
    client.post(listing, {"public": "True"})
    assert "Ana Souza" in public_names(client, petition)


def test_withdrawing_consent_to_news(client, signature):
    news = page_url("petitions:my_signature_news", signature)
    assert Signature.objects.get().news_opt_in
    response = client.post(news, follow=True)
    assert "no more news" in response.text
    signature.refresh_from_db()
    assert signature.news_opt_in is False
    assert signature.status == Signature.Status.CONFIRMED
    assert signature.public is True


def test_deleting_needs_the_box_ticked(client, petition, signature):
    delete = page_url("petitions:my_signature_delete", signature)
    response = client.post(delete)
    assert response.status_code == 400
    assert "Tick the box" in response.text
    assert Signature.objects.filter(pk=signature.pk).exists()
    assert counting.total(petition) == 1


def test_deleting_removes_the_row_and_the_count_drops(client, petition, signature, link):
    sign(client, petition, email="bo@example.org", full_name="Bo Li")
    petition_signing.confirm(Signature.objects.get(email="bo@example.org"))
    assert counting.total(petition) == 2

    delete = page_url("petitions:my_signature_delete", signature)
    response = client.post(delete, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == url("petitions:signature_deleted", slug=petition.slug)
    assert "has been deleted" in client.get(response["Location"]).text

    assert not Signature.objects.filter(pk=signature.pk).exists()
    assert counting.total(petition) == 1
    assert "Ana Souza" not in public_names(client, petition)
    assert client.get(link).status_code == 404


def test_an_unconfirmed_signature_can_be_deleted_too(client, petition, mailbox):
    sign(client, petition)
    run_worker()
    path = self_service_path(mailbox.messages[0])
    client.post(path + "delete/", {"confirm": "on"})
    assert Signature.objects.count() == 0
    # The confirmation link of a deleted signature confirms nothing.
    assert client.post(confirmation_path(mailbox.messages[0])).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps(1, salt="firma.petitions.confirm"),
        signing.dumps(1, salt="another-purpose"),
        self_service_token(Signature(pk=1))[:-2] + "xx",
        signing.dumps(999999, salt=SELF_SERVICE_SALT),
    ],
    # Named, not shown: the tokens hold the time, and pytest-xdist's workers must collect the
    # same tests.
    ids=["garbage", "confirmation", "other-purpose", "forged", "no-such-signature"],
)
def test_a_forged_or_stale_link_is_not_found(client, signature, token):
    before = stored(signature)
    for name in PAGES:
        assert client.get(page_url(name, signature, token)).status_code == 404
    for name, data in CHANGES:
        assert client.post(page_url(name, signature, token), data).status_code == 404
    assert stored(signature) == before


def test_the_confirmation_token_opens_no_page(client, signature):
    token = confirmation_token(signature)
    for name in PAGES:
        assert client.get(page_url(name, signature, token)).status_code == 404


def test_a_link_works_only_for_its_own_petition(client, signature):
    other = make_petition(slug="other")
    token = self_service_token(signature)
    response = client.get(url("petitions:my_signature", slug=other.slug, token=token))
    assert response.status_code == 404


def test_an_expired_link_is_gone_and_changes_nothing(client, signature, settings):
    settings.SELF_SERVICE_MAX_AGE = -1
    before = stored(signature)
    response = client.get(page_url("petitions:my_signature", signature))
    assert response.status_code == 410
    assert "This link has expired" in response.text
    assert "Ana Souza" not in response.text
    for name, data in CHANGES:
        assert client.post(page_url(name, signature), data).status_code == 410
    assert stored(signature) == before


def test_an_erased_signature_is_gone(client, signature):
    Signature.objects.update(full_name="", email="", anonymised_at=timezone.now())
    response = client.get(page_url("petitions:my_signature", signature))
    assert response.status_code == 410
    assert "has been erased" in response.text


def test_no_page_shows_or_changes_another_signer(client, petition, signature):
    sign(client, petition, email="bo@example.org", full_name="Bo Li", organization="Bakers")
    bo = Signature.objects.get(email="bo@example.org")
    bo_before = stored(bo)
    for name in PAGES:
        text = client.get(page_url(name, signature)).text
        assert "Ana Souza" in text or name != "petitions:my_signature"
        for other in ["Bo Li", "bo@example.org", "Bakers"]:
            assert other not in text
    for name, data in CHANGES:
        client.post(page_url(name, signature), data)
    assert stored(bo) == bo_before
    assert not Signature.objects.filter(pk=signature.pk).exists()


@pytest.mark.parametrize("name", PAGES)
def test_pages_about_a_signer_stay_private_and_unindexed(client, signature, name):
    response = client.get(page_url(name, signature))
    assert response["X-Robots-Tag"] == "noindex"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    if response["Content-Type"].startswith("text/html"):
        head = response.text[: response.text.index("</head>")]
        assert '<meta name="robots" content="noindex">' in head


def test_the_answer_to_a_change_stays_private_too(client, signature):
    response = client.post(page_url("petitions:my_signature_delete", signature))
    assert response.status_code == 400
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]


def test_the_private_pages_forms_work_under_no_referrer_and_refuse_other_sites(signature):
    """The pages send no Referer (their address is the secret), so a browser posts their forms
    with "Origin: null"; Sec-Fetch-Site tells the page's own POST from another site's."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    news = page_url("petitions:my_signature_news", signature)
    assert browser.get(news)["Referrer-Policy"] == "no-referrer"

    forged = browser.post(
        news, HTTP_ORIGIN="https://evil.example", HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert forged.status_code == 403
    assert Signature.objects.get().news_opt_in

    own = browser.post(news, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")
    assert own.status_code == 302
    assert not Signature.objects.get().news_opt_in
