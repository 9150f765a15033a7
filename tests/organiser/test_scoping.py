"""An organiser sees and acts on their organisations' petitions only, as far as their role goes."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType

from firma.petitions.models import Invalidation, Petition, Signature
from firma.tenancy.models import Membership
from tests.conftest import make_petition, petition_form_data

from .conftest import add, as_member
from .xlsx import read_xlsx

pytestmark = pytest.mark.django_db

Role = Membership.Role
# What of B's may never reach an organiser of A, in any page or file.
B_DATA = [
    "secret-b",
    "Secret plan of B",
    "Bob Bravo",
    "bob@b-mail",
    "b-mail.example",
    "b" * 8,
    "Campaign B",
    "honeypot",
]


def text_of(response) -> str:
    if response.streaming:
        content = b"".join(response.streaming_content)
        if content.startswith(b"PK"):
            return "\n".join("\t".join(row) for row in read_xlsx(content))
        return content.decode()
    return response.content.decode()


def assert_nothing_of_b(response, markers: list[str] = B_DATA) -> None:
    text = text_of(response)
    for marker in markers:
        assert marker not in text, marker


def assert_refused(client, response) -> None:
    """A 403 or a 404, or Django's redirect to the index for an object it cannot find."""
    assert response.status_code in (302, 403, 404), response.status_code
    assert_nothing_of_b(response)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
        assert_nothing_of_b(client.get(response["Location"]))


@pytest.fixture
def batch_b(petition_b, signature_b) -> Invalidation:
    batch = Invalidation.objects.create(petition=petition_b, description="all of B")
    Signature.objects.filter(pk=signature_b.pk).update(invalidation=batch)
    return batch


def routes_of_b(petition_b, signature_b, batch_b) -> list[tuple[str, str, dict]]:
    petition = f"/admin/petitions/petition/{petition_b.pk}"
    signature = f"/admin/petitions/signature/{signature_b.pk}"
    content_type = ContentType.objects.get_for_model(Petition).pk
    return [
        ("get", f"{petition}/change/", {}),
        ("post", f"{petition}/change/", {"slug": "stolen", "status": "open"}),
        ("get", f"{petition}/delete/", {}),
        ("post", f"{petition}/delete/", {"post": "yes"}),
        ("get", f"{petition}/history/", {}),
        ("get", f"{petition}/invalidate/", {}),
        ("get", f"{petition}/invalidate/", {"preview": "1", "flag": "*"}),
        ("post", f"{petition}/invalidate/", {"flag": "*", "reason": "x", "up_to": "999999"}),
        ("post", f"{petition}/invalidate/{batch_b.pk}/undo/", {}),
        ("get", f"{signature}/change/", {}),
        ("post", f"{signature}/change/", {"full_name": "Changed", "hidden": "on"}),
        ("get", f"{signature}/delete/", {}),
        ("post", f"{signature}/delete/", {"post": "yes"}),
        ("get", f"{signature}/history/", {}),
        ("get", f"/admin/r/{content_type}/{petition_b.pk}/", {}),
        ("get", "/admin/organiser/organisation/", {}),
        ("get", f"/admin/organiser/organisation/{petition_b.organisation_id}/change/", {}),
    ]


def test_every_route_to_bs_objects_is_refused(
    client_a, petition_a, signature_a, petition_b, signature_b, batch_b
):
    for method, url, data in routes_of_b(petition_b, signature_b, batch_b):
        response = getattr(client_a, method)(url, data)
        assert_refused(client_a, response)
    # Nothing of B changed.
    petition_b.refresh_from_db()
    signature_b.refresh_from_db()
    assert petition_b.slug == "secret-b"
    assert signature_b.full_name == "Bob Bravo"
    assert not signature_b.hidden
    assert signature_b.invalidation == batch_b
    assert Invalidation.objects.filter(petition=petition_b).count() == 1


def test_the_changelists_show_only_as_rows(
    client_a, petition_a, signature_a, petition_b, signature_b
):
    for url in [
        "/admin/",
        "/admin/petitions/",
        "/admin/petitions/petition/",
        f"/admin/petitions/petition/?organisation__id__exact={petition_b.organisation_id}",
        "/admin/petitions/signature/",
        f"/admin/petitions/signature/?petition__id__exact={petition_b.pk}",
        "/admin/petitions/signature/?invalidated=no",
        "/admin/petitions/signature/?flag=*",
    ]:
        response = client_a.get(url)
        assert response.status_code == 200, url
        assert_nothing_of_b(response)


@pytest.mark.parametrize(
    "query",
    [
        "?q=Bob",
        "?q=secret",
        f"?ip_hash={'b' * 32}",
        "?email_domain=b-mail.example",
        "?flag=honeypot",
    ],
)
def test_searching_and_filtering_for_bs_values_finds_nothing(
    client_a, signature_a, signature_b, query
):
    # The page repeats the query itself, but no row of B.
    response = client_a.get(f"/admin/petitions/signature/{query}")
    assert response.status_code == 200
    assert_nothing_of_b(response, ["Bob Bravo", "bob@b-mail", "Secret plan of B", "Campaign B"])
    assert "0 signatures" in response.text
    assert "Alice Alpha" in client_a.get("/admin/petitions/signature/").text
    assert "water-a" in client_a.get("/admin/petitions/petition/").text


def test_the_index_lists_no_organisations(client_a, petition_a):
    page = client_a.get("/admin/").text
    assert "/admin/petitions/petition/" in page
    assert "/admin/organiser/organisation/" not in page


@pytest.mark.parametrize("action", ["export_confirmed_csv", "export_confirmed_xlsx"])
def test_exporting_bs_petition_exports_nothing_of_it(
    client_a, petition_a, signature_a, petition_b, signature_b, action
):
    response = client_a.post(
        "/admin/petitions/petition/",
        {"action": action, "_selected_action": [petition_a.pk, petition_b.pk]},
    )
    assert response.status_code == 200
    assert "Alice Alpha" in text_of_export(response)
    assert_nothing_of_b(response)


def text_of_export(response) -> str:
    content = b"".join(response.streaming_content)
    if content.startswith(b"PK"):
        return "\n".join("\t".join(row) for row in read_xlsx(content))
    return content.decode()


@pytest.mark.parametrize(
    ("action", "hidden"),
    [
        ("export_confirmed_csv", False),
        ("export_confirmed_xlsx", False),
        ("hide_from_public_list", False),
        ("show_in_public_list", True),
        ("delete_selected", False),
    ],
)
def test_signature_actions_leave_bs_signatures_alone(
    client_a, signature_a, signature_b, action, hidden
):
    Signature.objects.filter(pk=signature_b.pk).update(hidden=hidden)
    response = client_a.post(
        "/admin/petitions/signature/",
        {"action": action, "_selected_action": [signature_b.pk], "post": "yes"},
        follow=True,
    )
    assert_nothing_of_b(response)
    signature_b.refresh_from_db()  # still there, and unchanged
    assert signature_b.hidden == hidden


def test_a_new_petition_goes_to_one_of_the_users_organisations(client_a, org_a, org_b, editor_a):
    page = client_a.get("/admin/petitions/petition/add/").text
    assert "Union A" in page
    assert "Campaign B" not in page

    data = petition_form_data(slug="new-one")
    for refused in [{"organisation": org_b.pk}, {"organisation": ""}]:
        response = client_a.post("/admin/petitions/petition/add/", {**data, **refused})
        assert response.status_code == 200
        assert not Petition.objects.filter(slug="new-one").exists()

    response = client_a.post("/admin/petitions/petition/add/", {**data, "organisation": org_a.pk})
    assert response.status_code == 302
    assert Petition.objects.get(slug="new-one").organisation == org_a


def test_a_petition_without_organisation_is_for_superusers_only(client_a, admin_client):
    orphan = make_petition(slug="orphan", texts={"en": ("Nobody's petition", "")})
    add(orphan, "Olga Orphan", "olga@example.org")
    assert "orphan" not in client_a.get("/admin/petitions/petition/").text
    assert "Olga Orphan" not in client_a.get("/admin/petitions/signature/").text
    assert client_a.get(f"/admin/petitions/petition/{orphan.pk}/change/").status_code == 302
    assert "orphan" in admin_client.get("/admin/petitions/petition/").text
    assert "Olga Orphan" in admin_client.get("/admin/petitions/signature/").text


def test_superusers_see_every_organisation(admin_client, signature_a, signature_b):
    page = admin_client.get("/admin/petitions/signature/").text
    assert "Alice Alpha" in page
    assert "Bob Bravo" in page
    assert admin_client.get("/admin/organiser/organisation/").status_code == 200
    assert admin_client.get("/admin/organiser/organisation/add/").status_code == 200


def test_superusers_manage_organisations_and_members(admin_client, editor_a, org_a):
    response = admin_client.get(f"/admin/organiser/organisation/{org_a.pk}/change/")
    assert response.status_code == 200
    assert "editor-a" in response.text


def test_staff_without_membership_see_nothing(client, signature_a):
    user = User.objects.create_user("loner", password="x", is_staff=True)
    client.force_login(user)
    assert "/admin/petitions/" not in client.get("/admin/").text
    assert client.get("/admin/petitions/signature/").status_code == 403


class TestRoles:
    """viewer < moderator < editor < owner, each with the rights of the ones before."""

    def test_a_viewer_only_reads(self, client, org_a, petition_a, signature_a):
        viewer = as_member(client, org_a, Role.VIEWER)
        petition_page = viewer.get(f"/admin/petitions/petition/{petition_a.pk}/change/")
        assert petition_page.status_code == 200
        assert 'name="slug"' not in petition_page.text  # read-only
        assert viewer.get("/admin/petitions/petition/add/").status_code == 403
        changelist = viewer.get("/admin/petitions/signature/").text
        assert "Alice Alpha" in changelist
        assert "export_confirmed_csv" not in changelist
        assert "hide_from_public_list" not in changelist
        assert (
            viewer.get(f"/admin/petitions/petition/{petition_a.pk}/invalidate/").status_code == 403
        )
        response = viewer.post(
            "/admin/petitions/petition/",
            {"action": "export_confirmed_csv", "_selected_action": [petition_a.pk]},
        )
        assert not response.streaming

    def test_a_moderator_moderates_but_does_not_edit_petitions(
        self, client, org_a, petition_a, signature_a
    ):
        moderator = as_member(client, org_a, Role.MODERATOR)
        petition_page = moderator.get(f"/admin/petitions/petition/{petition_a.pk}/change/").text
        assert 'name="slug"' not in petition_page
        assert "Invalidate signatures" in petition_page
        assert "export_confirmed_xlsx" in moderator.get("/admin/petitions/petition/").text
        moderator.post(
            "/admin/petitions/signature/",
            {"action": "hide_from_public_list", "_selected_action": [signature_a.pk]},
        )
        signature_a.refresh_from_db()
        assert signature_a.hidden

    def test_an_editor_edits_but_does_not_delete_petitions(self, client_a, petition_a):
        page = client_a.get(f"/admin/petitions/petition/{petition_a.pk}/change/").text
        assert 'name="slug"' in page
        assert client_a.get(f"/admin/petitions/petition/{petition_a.pk}/delete/").status_code == 403

    def test_an_owner_deletes_petitions(self, client, org_a, petition_a, signature_a):
        owner = as_member(client, org_a, Role.OWNER)
        response = owner.post(f"/admin/petitions/petition/{petition_a.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert not Petition.objects.filter(pk=petition_a.pk).exists()

    def test_a_role_in_a_does_not_carry_over_to_b(
        self, client, org_a, org_b, petition_b, signature_b
    ):
        user = User.objects.create_user("both", password="x", is_staff=True)
        Membership.objects.create(organisation=org_a, user=user, role=Role.OWNER)
        Membership.objects.create(organisation=org_b, user=user, role=Role.VIEWER)
        client.force_login(user)
        assert client.get(f"/admin/petitions/petition/{petition_b.pk}/change/").status_code == 200
        client.post(f"/admin/petitions/petition/{petition_b.pk}/delete/", {"post": "yes"})
        assert Petition.objects.filter(pk=petition_b.pk).exists()
        response = client.post(
            "/admin/petitions/signature/",
            {"action": "export_confirmed_csv", "_selected_action": [signature_b.pk]},
        )
        rows = list(csv.DictReader(io.StringIO(text_of_export(response))))
        assert rows == []
        client.post(
            "/admin/petitions/signature/",
            {"action": "hide_from_public_list", "_selected_action": [signature_b.pk]},
        )
        signature_b.refresh_from_db()
        assert not signature_b.hidden
        invalidate = f"/admin/petitions/petition/{petition_b.pk}/invalidate/"
        assert client.get(invalidate).status_code == 403


def test_a_draft_is_previewed_only_by_its_own_organisation(client, petition_b, org_a, org_b):
    draft = f"/en/p/{petition_b.slug}/"
    assert client.get(draft).status_code == 404
    as_member(client, org_a, Membership.Role.OWNER)
    assert client.get(draft).status_code == 404
    assert client.get(f"/api/petitions/{petition_b.slug}").status_code == 404
    as_member(client, org_b, Membership.Role.VIEWER)
    assert client.get(draft).status_code == 200
