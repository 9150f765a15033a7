"""The confirmation link: opening it changes nothing, its button confirms, and it expires."""

import pytest
from django.core import signing

from firma.petitions.models import Petition, Signature
from firma.petitions.tokens import SALT, confirmation_token
from tests.conftest import make_petition, sign, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def signature(client, petition) -> Signature:
    sign(client, petition)
    return Signature.objects.get()


def confirm_url(signature: Signature, token: str | None = None, language: str = "en") -> str:
    token = token or confirmation_token(signature)
    return url("petitions:confirm", language, slug=signature.petition.slug, token=token)


def test_opening_the_link_changes_nothing(client, signature):
    for method in (client.get, client.head):
        assert method(confirm_url(signature)).status_code == 200
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING
    assert signature.confirmed_at is None


def test_the_button_confirms(client, signature):
    page = client.get(confirm_url(signature)).text
    assert '<form method="post">' in page
    response = client.post(confirm_url(signature))
    assert response.status_code == 302
    assert response["Location"] == url("petitions:confirmed", slug=signature.petition.slug)
    signature.refresh_from_db()
    assert signature.status == Signature.Status.CONFIRMED
    assert signature.confirmed_at is not None


def test_an_expired_link_says_so_and_confirms_nothing(client, signature, settings):
    settings.CONFIRMATION_MAX_AGE = -1
    for method in (client.get, client.post):
        response = method(confirm_url(signature))
        assert response.status_code == 410
        assert "This link has expired" in response.text
    assert Signature.objects.get().status == Signature.Status.PENDING


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps(1, salt="another-purpose"),
        confirmation_token(Signature(pk=1))[:-2] + "xx",
        signing.dumps(999999, salt=SALT),
    ],
    # Named, not shown: the tokens hold the time, and pytest-xdist's workers must collect the
    # same tests.
    ids=["garbage", "other-purpose", "forged", "no-such-signature"],
)
def test_a_forged_or_stale_link_is_not_found(client, signature, token):
    assert client.post(confirm_url(signature, token)).status_code == 404
    assert Signature.objects.get().status == Signature.Status.PENDING


def test_a_link_works_only_for_its_own_petition(client, signature):
    other = make_petition(slug="other")
    token = confirmation_token(signature)
    response = client.post(url("petitions:confirm", slug=other.slug, token=token))
    assert response.status_code == 404
    assert Signature.objects.get().status == Signature.Status.PENDING


def test_a_closed_petition_confirms_nothing(client, signature):
    Petition.objects.update(status=Petition.Status.CLOSED)
    assert "closed" in client.get(confirm_url(signature)).text
    assert client.post(confirm_url(signature)).status_code == 409
    assert Signature.objects.get().status == Signature.Status.PENDING


def test_a_deleted_signature_cannot_be_confirmed(client, signature):
    link = confirm_url(signature)
    signature.delete()
    assert client.post(link).status_code == 404
    assert Signature.objects.count() == 0
