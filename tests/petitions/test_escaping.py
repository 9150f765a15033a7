"""Whatever a signer types is shown as text: in the page, the e-mails, the admin and the API."""

import pytest
from django.utils.html import escape

from firma.petitions.models import Signature
from tests.conftest import confirmation_path, run_worker, sign, url

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "</textarea><b>bold</b>",
]


def assert_shown_as_text(payload: str, document: str) -> None:
    assert payload not in document
    assert escape(payload) in document


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_every_field_comes_out_escaped(client, admin_client, petition, mailbox, payload):
    response = sign(
        client,
        petition,
        full_name=f"Name {payload}",
        organization=f"Org {payload}",
        comment=f"Comment {payload}",
    )
    assert response.status_code == 302
    run_worker()
    [message] = mailbox.messages
    assert_shown_as_text(payload, message.get_body(("html",)).get_content())
    assert f"Hello Name {payload}," in message.get_body(("plain",)).get_content()
    client.post(confirmation_path(message))

    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert_shown_as_text(f"Name {payload}", page)
    assert_shown_as_text(f"Org {payload}", page)
    assert_shown_as_text(f"Comment {payload}", page)
    assert_shown_as_text(payload, admin_client.get("/admin/petitions/signature/").text)
    assert Signature.objects.get().full_name == f"Name {payload}"


def test_markup_in_an_invalid_form_is_escaped_too(client, petition):
    payload = '"><script>alert(1)</script>'
    response = sign(client, petition, full_name=payload, email=payload)
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.text


def test_petition_text_is_sanitised_markdown(client, petition):
    text = petition.texts.get(language="en")
    text.body = (
        '**Bold** <script>alert(1)</script> [link](javascript:alert(1)) <b onclick="x()">b</b>'
    )
    text.save()
    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "javascript:alert" not in page
    assert "onclick" not in page
