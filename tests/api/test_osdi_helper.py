"""The OSDI record signature helper: partners' own forms send signers through firma's rules,
limits and double opt-in; an Idempotency-Key records one signature however often it is sent."""

import pytest

from firma.api.models import ApiToken
from firma.api.tokens import create_token
from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from tests.conftest import confirmation_path, run_worker

from .conftest import bearer

pytestmark = pytest.mark.django_db

PATH = "/api/v1/osdi/petitions/water-a/record_signature_helper"


def partner(organisation, **permissions) -> dict:
    permissions.setdefault("records_signatures", True)
    return bearer(create_token(organisation, "Partner Site", ApiToken.Scope.READ, **permissions)[1])


def body(address="lea@example.net", **person) -> dict:
    return {
        "person": {
            "given_name": "Léa",
            "family_name": "Martin",
            "email_addresses": [{"address": address, "primary": True, "status": "subscribed"}],
            "postal_addresses": [{"primary": True, "country": "FR"}],
            "custom_fields": {"organization": "Teachers' Union"},
            **person,
        },
        "comments": "Solidarité",
    }


def post(client, data, headers, **extra):
    return client.post(PATH, data, content_type="application/json", headers={**headers, **extra})


def test_a_partner_signature_is_confirmed_by_firmas_email(client, org_a, petition_a, mailbox):
    headers = partner(org_a)
    before = counting.total(petition_a)
    response = post(client, body(), headers)
    assert response.status_code == 200
    data = response.json()
    signature = Signature.objects.get(email="lea@example.net")
    assert data["identifiers"] == [f"firma:{signature.pk}"]
    assert data["firma:status"] == "pending"
    assert data["firma:confirmed_upstream"] is False
    assert data["person"]["given_name"] == "Léa"
    assert signature.full_name == "Léa Martin"
    assert signature.country == "FR"
    assert signature.comment == "Solidarité"
    assert signature.news_opt_in is True
    assert signature.affiliation == "Teachers' Union"
    assert signature.source == "partnersite"
    assert signature.status == Signature.Status.PENDING
    assert counting.total(petition_a) == before  # not before the signer confirms
    # The consents the helper passed on are kept as the page's are, through the API's channel.
    records = {record.choice: record for record in signature.consents.all()}
    assert {choice: record.given for choice, record in records.items()} == {
        "privacy": True,
        "listing": False,
        "petition_news": True,
    }
    assert {record.channel for record in records.values()} == {"api"}

    run_worker()
    [message] = mailbox.to("lea@example.net")
    assert client.post(confirmation_path(message)).status_code == 302
    counting.reconcile()
    assert counting.total(petition_a) == before + 1


def test_bad_input_names_the_fields(client, org_a, petition_a):
    headers = partner(org_a)
    data = body(address="not an address", given_name="", family_name="")
    data["person"]["postal_addresses"] = [{"country": "XX"}]
    data["person"]["custom_fields"] = {}
    response = post(client, data, headers)
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {
        "person.given_name",
        "person.email_addresses",
        "person.postal_addresses",
        "person.custom_fields.organization",
    }
    assert fields["person.email_addresses"][0]["code"] == "invalid"
    assert fields["person.given_name"][0]["message"] == "Please enter your name."
    assert post(client, {"name": "x"}, headers).json()["fields"] == {
        "person": [{"code": "required", "message": "Send a person object."}]
    }
    bad_json = client.post(PATH, "{", content_type="application/json", headers=headers)
    assert bad_json.json()["error"] == "invalid_json"
    assert not Signature.objects.filter(petition=petition_a, source="partnersite").exists()


def test_a_repeated_request_records_one_signature(client, org_a, petition_a, mailbox):
    headers = partner(org_a)
    first = post(client, body(), headers, **{"Idempotency-Key": "form-42"})
    again = post(client, body(), headers, **{"Idempotency-Key": "form-42"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Signature.objects.filter(email="lea@example.net").count() == 1
    run_worker()
    assert len(mailbox.to("lea@example.net")) == 1
    # Another key is another request; the address still signs once.
    other = post(client, body(), headers, **{"Idempotency-Key": "form-43"})
    assert other.status_code == 200
    assert Signature.objects.filter(email="lea@example.net").count() == 1


def test_an_upstream_confirmed_token_counts_at_once(client, org_a, petition_a, mailbox):
    headers = partner(org_a, confirmed_upstream=True)
    before = counting.total(petition_a)
    data = post(client, body(), headers).json()
    assert data["firma:status"] == "confirmed"
    assert data["firma:confirmed_upstream"] is True
    signature = Signature.objects.get(email="lea@example.net")
    assert signature.status == Signature.Status.CONFIRMED
    assert signature.confirmed_upstream
    assert signature.consents.filter(choice="privacy", given=True, channel="api").exists()
    counting.reconcile()
    assert counting.total(petition_a) == before + 1
    run_worker()
    assert mailbox.to("lea@example.net") == []


def test_only_tokens_that_record_signatures_may(client, org_a, org_b, petition_a, reader_a):
    assert post(client, body(), reader_a).status_code == 403
    assert post(client, body(), partner(org_b)).status_code == 404
    assert client.post(PATH, body(), content_type="application/json").status_code == 401
    assert not Signature.objects.filter(email="lea@example.net").exists()


def test_a_closed_petition_takes_none(client, org_a, petition_a):
    Petition.objects.filter(pk=petition_a.pk).update(status=Petition.Status.CLOSED)
    response = post(client, body(), partner(org_a))
    assert response.status_code == 409
    assert response.json()["error"] == "closed"
