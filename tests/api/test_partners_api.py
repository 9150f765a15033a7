"""Partners through the API: a token bound to a partner attributes the helper's signatures to
it; the helper takes endorsements in the form's field names, judged by the form's rules; the
petition and signature representations, the consent records and the webhooks name partners."""

import io
import json
import re

import pytest
from django.test import Client
from PIL import Image

from firma.api.models import ApiToken
from firma.petitions.models import Partner, Signature
from firma.petitions.partners.forms import set_logo
from firma.petitions.rules import endorsements
from tests.api.receivers import make_webhook
from tests.api.receivers import run_worker as deliver
from tests.conftest import confirmation_path, make_petition, run_worker, sign

from .conftest import bearer
from .test_osdi_helper import PATH, body, partner, post

pytestmark = pytest.mark.django_db


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def rivers(petition_a) -> Partner:
    found = Partner(
        petition=petition_a,
        slug="rivers",
        name="Rivers",
        website="https://rivers.example",
        privacy_url="https://rivers.example/privacy",
        opt_in=True,
    )
    set_logo(found, png())
    found.save()
    return found


@pytest.fixture
def owner_client(owner_a) -> Client:
    client = Client()
    client.force_login(owner_a)
    return client


def token_from_admin(owner_client, organisation, partner: Partner, **fields) -> dict:
    """A token an owner creates in the back office, bound to `partner`."""
    response = owner_client.post(
        "/admin/api/apitoken/add/",
        {
            "organisation": organisation.pk,
            "name": "Rivers form",
            "scope": "read",
            "records_signatures": "on",
            "partner": partner.pk,
            **fields,
        },
    )
    assert response.status_code == 200, response.text
    return bearer(re.search(r'value="(firma_[^"]+)"', response.text).group(1))


def test_a_partner_bound_token_attributes_its_signatures(
    client, org_a, petition_a, rivers, owner_client, mailbox, hook_settings, receiver, reader_a
):
    assert "water-a: Rivers" in owner_client.get("/admin/api/apitoken/add/").text
    headers = token_from_admin(owner_client, org_a, rivers)
    assert ApiToken.objects.get(name="Rivers form").partner == rivers
    make_webhook(org_a, receiver, ["signature.confirmed"])

    assert post(client, body(), headers).status_code == 200
    signature = Signature.objects.get(email="lea@example.net")
    assert signature.partner == rivers
    run_worker()
    [message] = mailbox.to("lea@example.net")
    assert client.post(confirmation_path(message)).status_code == 302

    view = owner_client.get(f"/admin/petitions/petition/{petition_a.pk}/partners/{rivers.pk}/")
    assert "1 confirmed signature brought by this partner." in view.text
    # The organiser API and the webhook name the partner.
    listed = client.get("/api/v1/manage/petitions/water-a/signatures", headers=reader_a).json()
    by_email = {row["email"]: row for row in listed["results"]}
    assert by_email["lea@example.net"]["partner"] == "rivers"
    assert by_email["ana@example.org"]["partner"] is None
    deliver()
    [(_headers, delivered, _verdict)] = receiver.requests
    assert json.loads(delivered)["data"]["signature"]["partner"] == "rivers"


def test_a_partner_token_records_for_its_own_petition_only(client, org_a, rivers):
    make_petition(slug="air-a", organisation=org_a, texts={"en": ("Air", "Text.")})
    headers = partner(org_a, partner=rivers)
    other = PATH.replace("water-a", "air-a")
    response = client.post(other, body(), content_type="application/json", headers=headers)
    assert response.status_code == 403
    assert response.json()["error"] == "other_petition"
    assert not Signature.objects.filter(email="lea@example.net").exists()


def test_an_owner_cannot_bind_a_token_to_another_organisations_partner(owner_client, org_a, org_b):
    theirs = Partner.objects.create(
        petition=make_petition(slug="secret-b", organisation=org_b), slug="theirs", name="Theirs"
    )
    response = owner_client.post(
        "/admin/api/apitoken/add/",
        {"organisation": org_a.pk, "name": "X", "scope": "read", "partner": theirs.pk},
    )
    assert "Select a valid choice" in response.text
    assert not ApiToken.objects.exists()


def test_the_helper_records_an_endorsement_in_the_forms_names(client, org_a, petition_a):
    data = body(custom_fields={})
    data.update(
        {
            "firma:signing_as": "organisation",
            "firma:organisation_name": "Syndicat des Eaux",
            "firma:organisation_position": "Secrétaire",
            "firma:organisation_website": "eaux.example",
        }
    )
    response = post(client, data, partner(org_a))
    assert response.status_code == 200
    custom = response.json()["person"]["custom_fields"]
    assert custom["signing_as"] == "organisation"
    signature = Signature.objects.get(email="lea@example.net")
    assert signature.kind == Signature.Kind.ORGANISATION
    assert (signature.organisation_name, signature.organisation_position) == (
        "Syndicat des Eaux",
        "Secrétaire",
    )
    assert signature.organisation_website == "https://eaux.example"
    assert signature.affiliation == "Secrétaire, Syndicat des Eaux"
    assert signature.country == "FR"


def test_a_bad_endorsement_names_each_field_with_the_forms_messages(client, org_a, petition_a):
    headers = partner(org_a)
    data = body(postal_addresses=[])
    data.update(
        {
            "firma:signing_as": "organisation",
            "firma:organisation_name": "",
            "firma:organisation_position": "x" * 121,
            "firma:organisation_website": "not a site",
        }
    )
    response = post(client, data, headers)
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields["firma:organisation_name"] == [
        {"code": "required", "message": str(endorsements.MESSAGES["organisation_required"])}
    ]
    assert fields["firma:organisation_position"][0]["code"] == "max_length"
    assert fields["firma:organisation_website"][0]["message"] == str(
        endorsements.MESSAGES["website_invalid"]
    )
    # An organisation gives its country, even where individuals are not asked theirs.
    assert "person.postal_addresses" in fields

    wrong = post(client, {**body(), "firma:signing_as": "robot"}, headers)
    assert wrong.json()["fields"]["firma:signing_as"][0]["code"] == "invalid_choice"
    assert not Signature.objects.filter(email="lea@example.net").exists()


def test_the_petition_lists_its_partners_publicly_and_to_its_organisers(
    client, petition_a, rivers, writer_a
):
    Partner.objects.create(petition=petition_a, slug="seas", name="Seas", position=1)
    public = client.get("/api/v1/petitions/water-a").json()
    assert public["partners"][1] == {
        "name": "Seas",
        "slug": "seas",
        "website": "",
        "privacy_url": "",
        "opt_in": False,
        "logo_url": None,
    }
    logo = public["partners"][0]["logo_url"]
    assert logo.endswith(f"/p/water-a/partners/rivers/logo.png?v={rivers.logo_version}")
    served = client.get("/" + logo.split("://", 1)[1].split("/", 1)[1])
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    managed = client.get("/api/v1/manage/petitions/water-a", headers=writer_a).json()
    assert [p["slug"] for p in managed["partners"]] == ["rivers", "seas"]


def test_the_consent_records_name_the_partner(client, org_a, petition_a, rivers, reader_a):
    sign(Client(), petition_a, email="new@example.org", partner_opt_in="rivers")
    signature = Signature.objects.get(email="new@example.org")
    path = f"/api/v1/manage/petitions/water-a/signatures/{signature.pk}/consents"
    rows = client.get(path, headers=reader_a).json()["results"]
    assert [(row["consent"], row["partner"], row["given"]) for row in rows][-1] == (
        "partner",
        "rivers",
        True,
    )
    assert "https://rivers.example/privacy" in rows[-1]["wording"]
