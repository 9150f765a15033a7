"""Moderating single signatures: the public list, the count and the audit log follow."""

import pytest

from firma.core import events as events
from firma.organiser.audit.models import AuditEntry
from firma.petitions import counting
from firma.petitions.models import Invalidation, Signature
from firma.tenancy.models import Membership
from tests.conftest import make_petition, url

from .conftest import add, as_member

pytestmark = pytest.mark.django_db

Role = Membership.Role


@pytest.fixture
def moderator(client, org_a):
    return as_member(client, org_a, Role.MODERATOR)


@pytest.fixture
def commenter(petition_a):
    signature = add(
        petition_a,
        "Carla Comment",
        "carla@example.org",
        public=True,
        comment="Rude words here",
        country="PT",
    )
    counting.reconcile()
    return signature


def moderate(client, signature: Signature, **data):
    path = f"/admin/petitions/petition/{signature.petition_id}/moderation/{signature.pk}/"
    return client.post(path, data)


def public_page(client, petition) -> str:
    return client.get(url("petitions:detail", slug=petition.slug)).text


def actions(petition) -> list[tuple[str, int | None, str]]:
    entries = AuditEntry.objects.filter(petition=petition).order_by("pk")
    return [(entry.action, entry.signature_id, entry.user.username) for entry in entries]


def test_hiding_and_showing_a_comment(moderator, petition_a, commenter):
    assert "Rude words here" in public_page(moderator, petition_a)
    response = moderate(moderator, commenter, step="hide_comment")
    assert response.status_code == 302
    page = public_page(moderator, petition_a)
    assert "Carla Comment" in page
    assert "Rude words here" not in page
    moderate(moderator, commenter, step="show_comment")
    assert "Rude words here" in public_page(moderator, petition_a)
    assert actions(petition_a) == [
        ("comment_hidden", commenter.pk, "moderator-union-a"),
        ("comment_shown", commenter.pk, "moderator-union-a"),
    ]


def test_hiding_a_whole_entry_keeps_it_counted(moderator, petition_a, commenter):
    moderate(moderator, commenter, step="hide_entry")
    page = public_page(moderator, petition_a)
    assert "Carla Comment" not in page
    assert counting.total(petition_a) == 1
    moderate(moderator, commenter, step="show_entry")
    assert "Carla Comment" in public_page(moderator, petition_a)
    assert [action for action, _, _ in actions(petition_a)] == ["entry_hidden", "entry_shown"]


def test_correcting_a_name(moderator, petition_a, commenter):
    response = moderate(moderator, commenter, full_name="  Carla   Correct ", note="by e-mail")
    assert response.status_code == 302
    commenter.refresh_from_db()
    assert commenter.full_name == "Carla Correct"
    assert "Carla Correct" in public_page(moderator, petition_a)
    entry = AuditEntry.objects.get(petition=petition_a)
    assert (entry.action, entry.detail) == ("name_corrected", "by e-mail")
    assert "Carla" not in entry.detail  # the log keeps no personal data

    response = moderate(moderator, commenter, full_name="Carla Correct")
    assert response.status_code == 400
    assert response.context["rename"].errors.as_data()["full_name"][0].code == "unchanged"


@pytest.fixture
def announced():
    """The signature ids each count signal was sent with."""
    sent = {"invalidated": [], "restored": []}

    def invalidated(sender, petition, signature_ids, **kwargs):
        sent["invalidated"].append(signature_ids)

    def restored(sender, petition, signature_ids, **kwargs):
        sent["restored"].append(signature_ids)

    events.signatures_invalidated.connect(invalidated)
    events.signatures_restored.connect(restored)
    yield sent
    events.signatures_invalidated.disconnect(invalidated)
    events.signatures_restored.disconnect(restored)


def error_codes(form) -> list[str]:
    return [error.code for error in form.errors.as_data()["__all__"]]


def test_invalidating_and_restoring_one_signature(moderator, petition_a, commenter, announced):
    other = add(petition_a, "Other", "other@example.org", country="PT")
    counting.reconcile()
    response = moderate(moderator, commenter, step="invalidate", reason="")
    assert response.status_code == 400
    assert error_codes(response.context["moderate"]) == ["reason_required"]

    moderate(moderator, commenter, step="invalidate", reason="duplicate of a paper one")
    commenter.refresh_from_db()
    assert commenter.invalidation is not None
    assert counting.total(petition_a) == 1
    assert counting.drift(petition_a.pk) == {}
    assert "Carla Comment" not in public_page(moderator, petition_a)
    assert announced["invalidated"] == [[commenter.pk]]

    # The same step again is refused: it no longer applies.
    again = moderate(moderator, commenter, step="invalidate", reason="x")
    assert error_codes(again.context["moderate"]) == ["not_applicable"]

    moderate(moderator, commenter, step="restore")
    commenter.refresh_from_db()
    assert commenter.invalidation is None
    assert counting.total(petition_a) == 2
    assert counting.drift(petition_a.pk) == {}
    assert announced["restored"] == [[commenter.pk]]
    assert not Invalidation.objects.exists()  # its one-signature batch went with it
    assert other.pk not in [entry[1] for entry in actions(petition_a)]
    assert [action for action, _, _ in actions(petition_a)] == [
        "signature_invalidated",
        "signature_restored",
    ]


def test_restoring_one_of_a_bulk_batch_keeps_the_others_out(moderator, petition_a, commenter):
    other = add(petition_a, "Other", "other@example.org", country="PT")
    batch = Invalidation.objects.create(petition=petition_a, description="bulk")
    counting.record_signatures(Signature.objects.filter(petition=petition_a), -1)
    Signature.objects.filter(petition=petition_a).update(invalidation=batch)
    moderate(moderator, commenter, step="restore")
    other.refresh_from_db()
    assert other.invalidation == batch
    assert counting.total(petition_a) == 1
    assert counting.drift(petition_a.pk) == {}


def test_the_list_actions_are_audited_too(moderator, petition_a, commenter):
    moderator.post(
        "/admin/petitions/signature/",
        {"action": "hide_from_public_list", "_selected_action": [commenter.pk]},
    )
    commenter.refresh_from_db()
    assert commenter.hidden
    assert [action for action, _, _ in actions(petition_a)] == ["entry_hidden"]


def test_the_moderation_list_and_the_audit_log(moderator, client, org_a, petition_a, commenter):
    page = moderator.get(f"/admin/petitions/petition/{petition_a.pk}/moderation/?q=carla")
    assert page.status_code == 200
    assert f"/moderation/{commenter.pk}/" in page.text
    moderate(moderator, commenter, step="hide_comment")

    viewer = as_member(client, org_a, Role.VIEWER)
    log = viewer.get(f"/admin/petitions/petition/{petition_a.pk}/audit/")
    assert log.status_code == 200
    assert "Comment hidden" in log.text
    assert "moderator-union-a" in log.text
    # Viewers read the log but do not moderate.
    assert viewer.get(f"/admin/petitions/petition/{petition_a.pk}/moderation/").status_code == 403
    assert moderate(viewer, commenter, step="show_comment").status_code == 403
    commenter.refresh_from_db()
    assert commenter.comment_hidden


def test_a_signature_of_another_petition_is_not_found_here(moderator, org_a, petition_a):
    other = make_petition(slug="other-a", organisation=org_a)
    stranger = add(other, "Stranger", "stranger@example.org")
    path = f"/admin/petitions/petition/{petition_a.pk}/moderation/{stranger.pk}/"
    assert moderator.get(path).status_code == 404


def test_editing_in_the_signature_form_is_audited(moderator, petition_a, commenter):
    page = moderator.get(f"/admin/petitions/signature/{commenter.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, False)}
    response = moderator.post(
        f"/admin/petitions/signature/{commenter.pk}/change/", {**data, "full_name": "Carla C."}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(petition=petition_a)
    assert (entry.action, entry.signature_id, entry.detail) == (
        "signature_edited",
        commenter.pk,
        "full_name",
    )
