"""Every admin route of the organisation-scoped models, tried by organisation A's editor and
owner with organisation B's ids: nothing of B is shown, exported or changed.

The routes are read from the admin itself, so a page added later is tried too; a route with a
parameter this file does not know how to fill makes the test fail until it does.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.test import RequestFactory
from django.urls import URLPattern

from firma.api.models import ApiToken, Webhook, WebhookDelivery
from firma.api.tokens import create_token
from firma.organiser.audit.models import AuditEntry
from firma.organiser.lifecycle.models import Milestone
from firma.organiser.updates.models import Update, UpdateText
from firma.petitions import counting
from firma.petitions.models import (
    Invalidation,
    Partner,
    Petition,
    PetitionText,
    Response,
    Signature,
    TallyChange,
    Target,
)
from firma.tenancy.models import Membership

from .conftest import as_member
from .test_scoping import B_DATA, assert_nothing_of_b

pytestmark = pytest.mark.django_db

SCOPED_APPS = {"petitions", "organiser", "api"}
B_MARKERS = [
    *B_DATA,
    "Update of B",
    "b-hooks.example",
    "Token of B",
    "Response of B",
    "Partner of B",
]
# Whatever a form of any of these pages might ask for: a refused request must not use it.
POST_DATA = {
    "post": "yes",
    "slug": "stolen",
    "status": "closed",
    "full_name": "Stolen",
    "step": "hide_entry",
    "reason": "stolen",
    "goal": "1",
    "flag": "*",
    "up_to": "999999",
    "_preview": "en",
    "format": "csv",
    "columns": ["full_name", "email"],
    "outcome": "won",
    "outcome_text": "stolen",
    "text": "stolen",
    "language": "en",
}
# Parameters whose values are looked up by the page itself, not taken from the database.
UNGUESSABLE = {"token": "A" * 22}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def things_of(organisation, petition, signature, label: str) -> dict:
    """One object of each scoped model, belonging to `organisation`."""
    batch = Invalidation.objects.create(petition=petition, description=f"batch of {label}")
    update = Update.objects.create(petition=petition)
    UpdateText.objects.create(update=update, language="en", subject=f"Update of {label}", body=".")
    webhook = Webhook.objects.create(
        organisation=organisation, url=f"https://{label.lower()}-hooks.example/", secret="s" * 32
    )
    token, _ = create_token(organisation, f"Token of {label}", ApiToken.Scope.READ)
    AuditEntry.objects.create(
        organisation=organisation, petition=petition, signature_id=signature.pk, action="x"
    )
    Milestone.objects.create(petition=petition, number=100)
    target = Target.objects.create(petition=petition, name=f"Target of {label}")
    response = Response.objects.create(
        petition=petition, target=target, text=f"Response of {label}", language="en"
    )
    partner = Partner.objects.create(
        petition=petition, name=f"Partner of {label}", slug=f"partner-of-{label.lower()}"
    )
    return {
        Response: response,
        Partner: partner,
        Petition: petition,
        PetitionText: petition.texts.first(),
        Signature: signature,
        Invalidation: batch,
        Update: update,
        Webhook: webhook,
        WebhookDelivery: WebhookDelivery.objects.create(
            webhook=webhook, event="petition.closed", payload={"secret": label}
        ),
        ApiToken: token,
        "organisation": organisation,
    }


@pytest.fixture
def world(petition_a, signature_a, petition_b, signature_b, org_a, org_b):
    # Endorsements, so that the endorsement pages have one of each organisation's to show.
    Signature.objects.filter(pk__in=[signature_a.pk, signature_b.pk]).update(
        kind=Signature.Kind.ORGANISATION, organisation_name="An organisation"
    )
    counting.reconcile()
    return {
        "a": things_of(org_a, petition_a, signature_a, "A"),
        "b": things_of(org_b, petition_b, signature_b, "B"),
    }


def scoped_routes() -> list[tuple[type, URLPattern]]:
    return [
        (model, pattern)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in SCOPED_APPS
        for pattern in model_admin.urls
    ]


def fill(model, pattern: URLPattern, things: dict) -> str:
    """The URL of `pattern` for the objects in `things`."""
    values = {
        "object_id": lambda: things[model].pk,
        "invalidation_id": lambda: things[Invalidation].pk,
        "signature_id": lambda: things[Signature].pk,
        "update_id": lambda: things[Update].pk,
        "response_id": lambda: things[Response].pk,
        "partner_id": lambda: things[Partner].pk,
        "chart": lambda: "countries",
        **{name: (lambda value=value: value) for name, value in UNGUESSABLE.items()},
    }

    def value(match: re.Match) -> str:
        name = match[1]
        assert name in values, f"{pattern.pattern}: say how to fill <{name}> in this test"
        return str(values[name]())

    route = PARAMETER.sub(value, str(pattern.pattern))
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{route}"


def state_of_b(world) -> str:
    """Everything B owns, serialised: compared before and after the attempts."""
    b = world["b"]
    petition, organisation = b[Petition], b["organisation"]
    querysets = [
        Petition.objects.filter(organisation=organisation),
        PetitionText.objects.filter(petition=petition),
        Signature.objects.filter(petition=petition),
        Invalidation.objects.filter(petition=petition),
        TallyChange.objects.filter(petition=petition),
        AuditEntry.objects.filter(petition=petition),
        Milestone.objects.filter(petition=petition),
        Target.objects.filter(petition=petition),
        Partner.objects.filter(petition=petition),
        Response.objects.filter(petition=petition),
        Update.objects.filter(petition=petition),
        UpdateText.objects.filter(update__petition=petition),
        Webhook.objects.filter(organisation=organisation),
        WebhookDelivery.objects.filter(webhook__organisation=organisation),
        ApiToken.objects.filter(organisation=organisation),
        Membership.objects.filter(organisation=organisation),
    ]
    return "\n".join(
        serializers.serialize("json", queryset.order_by("pk")) for queryset in querysets
    )


def assert_refused(client, response, where: str) -> None:
    """A 403, a 404, a 405 for the wrong method, or the admin's redirect home for an object it
    cannot find (or to a page that refuses); never anything of B."""
    assert response.status_code in (302, 403, 404, 405), (where, response.status_code)
    assert_nothing_of_b(response, B_MARKERS)
    if response.status_code == 302 and response["Location"] != "/admin/":
        # Django's old-style object URL forwards to the change page: refused there.
        target = response["Location"]
        assert target.startswith("/admin/") and target != where.split()[-1], (where, target)
        assert_refused(client, client.get(target), f"GET {target}")


@pytest.mark.parametrize("role", [Membership.Role.EDITOR, Membership.Role.OWNER])
def test_no_route_gives_a_member_of_a_anything_of_b(client, org_a, world, role):
    as_member(client, org_a, role)
    before = state_of_b(world)
    tried = 0
    for model, pattern in scoped_routes():
        if model not in world["b"] or PARAMETER.search(str(pattern.pattern)) is None:
            continue
        url = fill(model, pattern, world["b"])
        assert_refused(client, client.get(url), f"GET {url}")
        assert_refused(client, client.post(url, POST_DATA), f"POST {url}")
        # The same page for A's own object is there: the URL was built right.
        if UNGUESSABLE.keys().isdisjoint(PARAMETER.findall(str(pattern.pattern))):
            own = fill(model, pattern, world["a"])
            assert client.get(own).status_code != 404, own
        tried += 1
    for model, thing in world["b"].items():
        if model in admin.site._registry:
            content_type = ContentType.objects.get_for_model(model).pk
            url = f"/admin/r/{content_type}/{thing.pk}/"
            assert_refused(client, client.get(url), f"GET {url}")
    assert tried >= 40  # the admin's own routes and the organisers' pages
    assert state_of_b(world) == before


@pytest.mark.parametrize("role", [Membership.Role.EDITOR, Membership.Role.OWNER])
def test_lists_searches_and_actions_leave_b_alone(client, org_a, world, role):
    as_member(client, org_a, role)
    request = RequestFactory().get("/admin/")
    request.user = Membership.objects.get(organisation=org_a, role=role).user
    before = state_of_b(world)
    b = world["b"]
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in SCOPED_APPS:
            continue
        changelist = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(changelist)
        assert response.status_code in (200, 403), changelist
        assert_nothing_of_b(response, B_MARKERS)
        for query in [
            f"?petition__id__exact={b[Petition].pk}",
            f"?organisation__id__exact={b['organisation'].pk}",
            "?q=B",
            "?q=secret",
        ]:
            assert_nothing_of_b(client.get(changelist + query), B_MARKERS)
        if model not in b:
            continue
        for name in model_admin.get_actions(request):
            response = client.post(
                changelist,
                {"action": name, "_selected_action": [b[model].pk], "post": "yes"},
            )
            assert_nothing_of_b(response, B_MARKERS)
        adding = client.post(
            f"{changelist}add/",
            {
                **POST_DATA,
                "petition": b[Petition].pk,
                "organisation": b["organisation"].pk,
                "name": "Planted",
                "url": "https://planted.example/",
            },
        )
        assert_nothing_of_b(adding, B_MARKERS)
    assert state_of_b(world) == before
