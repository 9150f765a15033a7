"""Whatever arrives at the signing URL: never a server error, never a half-made signature."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firma.petitions.models import Signature
from tests.conftest import url

pytestmark = pytest.mark.django_db

FIELDS = ["full_name", "organization", "country", "email", "comment", "public", "news_opt_in"]
FIELDS += ["website", "started", "altcha", "csrfmiddlewaretoken"]

values = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.text(min_size=2000, max_size=20000),
    st.sampled_from(["", " ", "AR", "ZZ", "a@example.org", "on", "\x00", "\r\n", "=1+1", "<b>"]),
    st.lists(st.text(max_size=30), min_size=2, max_size=3),  # the same field repeated
)
forms = st.dictionaries(st.sampled_from(FIELDS), values, max_size=len(FIELDS))

CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "multipart/form-data",
    "multipart/form-data; boundary=xyz",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=nonsense",
    "application/octet-stream",
]

# Each run tries fresh inputs, and hypothesis keeps any that failed to try first next time: the
# runs add up, so each can be short.
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def generous_limits(settings):
    settings.SIGNING_RATE_LIMITS = {name: "1000000/60" for name in settings.SIGNING_RATE_LIMITS}


def assert_every_signature_is_whole() -> None:
    for signature in Signature.objects.all():
        try:
            signature.full_clean()
        except ValidationError as error:
            pytest.fail(f"a stored signature is not valid: {error}")
        assert signature.full_name.strip()
        assert "@" in signature.email
        assert signature.email == signature.email.lower()
        assert "\x00" not in signature.full_name + signature.affiliation + signature.comment


@FUZZ
@given(body=st.binary(max_size=5000), content_type=st.sampled_from(CONTENT_TYPES))
def test_any_body_and_content_type(client, petition, body, content_type):
    response = client.generic(
        "POST", url("petitions:sign", slug=petition.slug), body, content_type=content_type
    )
    assert response.status_code < 500
    assert_every_signature_is_whole()


# Any form data, in English as in the other languages (one test: the English one alone only
# repeated a quarter of this one).
@FUZZ
@given(data=forms, language=st.sampled_from(["en", "es", "fr", "pt"]))
def test_any_form_data_in_any_language(client, petition, data, language):
    response = client.post(url("petitions:sign", language, slug=petition.slug), data)
    assert response.status_code in (302, 400, 429)
    assert_every_signature_is_whole()
