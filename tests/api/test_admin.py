"""API tokens and webhooks in the back office: owners only, each in their organisation."""

import re

import pytest

from firma.api.models import ApiToken, Webhook, WebhookDelivery
from firma.api.tokens import create_token, hash_token
from firma.tenancy.models import Membership
from tests.organiser.conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, owner_a):
    client.force_login(owner_a)
    return client


def test_an_owner_creates_a_token_and_sees_it_once(owner_client, org_a, petition_a):
    response = owner_client.post(
        "/admin/api/apitoken/add/", {"organisation": org_a.pk, "name": "CRM", "scope": "read"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = re.search(r'value="(firma_[^"]+)"', response.text).group(1)
    row = ApiToken.objects.get()
    assert row.secret_hash == hash_token(token)
    assert row.created_by.username == "owner-a"
    assert token not in owner_client.get("/admin/api/apitoken/").text
    assert token not in owner_client.get(f"/admin/api/apitoken/{row.pk}/change/").text
    auth = {"authorization": f"Bearer {token}"}
    assert (
        owner_client.get("/api/v1/manage/petitions/water-a/signatures", headers=auth).status_code
        == 200
    )


def test_an_owner_revokes_a_token(owner_client, org_a, petition_a):
    row, token = create_token(org_a, "CRM", ApiToken.Scope.READ)
    response = owner_client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [row.pk]}, follow=True
    )
    assert "1 token revoked." in response.text
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None
    auth = {"authorization": f"Bearer {token}"}
    refused = owner_client.get("/api/v1/manage/petitions/water-a/signatures", headers=auth)
    assert refused.status_code == 401


def test_owners_see_only_their_organisations_tokens(owner_client, org_a, org_b):
    create_token(org_b, "B's secret CRM", ApiToken.Scope.READ)
    assert "B&#x27;s secret CRM" not in owner_client.get("/admin/api/apitoken/").text
    response = owner_client.post(
        "/admin/api/apitoken/add/", {"organisation": org_b.pk, "name": "Sneaky", "scope": "read"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not ApiToken.objects.filter(name="Sneaky").exists()


@pytest.mark.parametrize("role", [Membership.Role.EDITOR, Membership.Role.VIEWER])
def test_other_roles_cannot_manage_tokens_or_webhooks(client, org_a, role):
    create_token(org_a, "CRM", ApiToken.Scope.READ)
    client.force_login(member(org_a, role, f"{role}-a"))
    for path in ["/admin/api/apitoken/", "/admin/api/apitoken/add/", "/admin/api/webhook/add/"]:
        assert client.get(path).status_code == 403
    response = client.post(
        "/admin/api/apitoken/add/", {"organisation": org_a.pk, "name": "X", "scope": "read-write"}
    )
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_an_owner_adds_a_webhook_and_sends_a_test(owner_client, org_a):
    response = owner_client.post(
        "/admin/api/webhook/add/",
        {
            "organisation": org_a.pk,
            "url": "https://crm.example.org/firma",
            "events": ["signature.confirmed", "petition.closed"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    webhook = Webhook.objects.get()
    assert webhook.secret.startswith("whsec_")
    assert webhook.events == ["signature.confirmed", "petition.closed"]
    page = owner_client.get(f"/admin/api/webhook/{webhook.pk}/change/").text
    assert webhook.secret in page
    assert "Send a test delivery" in page

    assert owner_client.get(f"/admin/api/webhook/{webhook.pk}/send-test/").status_code == 405
    assert not WebhookDelivery.objects.exists()
    response = owner_client.post(f"/admin/api/webhook/{webhook.pk}/send-test/", follow=True)
    assert "A test delivery was queued" in response.text
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.status) == ("webhook.test", "pending")
    assert "webhook.test" in owner_client.get("/admin/api/webhookdelivery/").text


def test_another_organisations_webhooks_are_out_of_reach(owner_client, org_b):
    webhook = Webhook.objects.create(
        organisation=org_b, url="https://b.example.org/", secret="s", events=["petition.closed"]
    )
    assert owner_client.get(f"/admin/api/webhook/{webhook.pk}/change/").status_code == 302
    response = owner_client.post(f"/admin/api/webhook/{webhook.pk}/send-test/")
    assert response.status_code == 404
    assert not WebhookDelivery.objects.exists()
