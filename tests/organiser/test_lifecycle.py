"""A petition's life: closing by hand and at its closing date, archiving, previews, the goal,
and the milestones e-mailed to the organisation's members."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firma.core import events as events
from firma.organiser.audit.models import AuditEntry
from firma.organiser.lifecycle import services as lifecycle
from firma.organiser.lifecycle.models import Milestone
from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from firma.tenancy.models import Membership
from tests.conftest import make_petition, petition_form_data, run_worker, sign, url

from .conftest import as_member, member

Role = Membership.Role


@pytest.fixture
def closed_events():
    received = []

    def receiver(sender, petition, **kwargs):
        received.append(petition.pk)

    events.petition_closed.connect(receiver)
    yield received
    events.petition_closed.disconnect(receiver)


@pytest.fixture
def milestone_events():
    received = []

    def receiver(sender, petition, number, **kwargs):
        received.append((petition.pk, number))

    events.milestone_reached.connect(receiver)
    yield received
    events.milestone_reached.disconnect(receiver)


def admin_url(petition: Petition, page: str) -> str:
    return f"/admin/petitions/petition/{petition.pk}/{page}/"


@pytest.mark.django_db
class TestClosingByHand:
    def test_an_editor_closes_after_confirming(self, client_a, petition_a, closed_events):
        page = client_a.get(admin_url(petition_a, "close"))
        assert page.status_code == 200
        assert "Yes, close the petition" in page.text
        petition_a.refresh_from_db()
        assert petition_a.status == Petition.Status.OPEN  # asking changed nothing

        response = client_a.post(admin_url(petition_a, "close"))
        assert response.status_code == 302
        petition_a.refresh_from_db()
        assert petition_a.status == Petition.Status.CLOSED
        assert petition_a.closed_at is not None
        assert closed_events == [petition_a.pk]
        entry = AuditEntry.objects.get(petition=petition_a)
        assert (entry.action, entry.user.username) == ("petition_closed", "editor-a")

        # Closing again does nothing, and signing is refused.
        client_a.post(admin_url(petition_a, "close"))
        assert closed_events == [petition_a.pk]
        assert sign(client_a, petition_a).status_code == 409

    @pytest.mark.parametrize("role", [Role.VIEWER, Role.MODERATOR])
    def test_below_editor_nobody_closes(self, client, org_a, petition_a, role):
        as_member(client, org_a, role)
        assert client.get(admin_url(petition_a, "close")).status_code == 403
        assert client.post(admin_url(petition_a, "close")).status_code == 403
        petition_a.refresh_from_db()
        assert petition_a.status == Petition.Status.OPEN

    def test_the_admin_action_closes_the_selected_petitions(
        self, client_a, org_a, petition_a, closed_events
    ):
        other = make_petition(slug="other-a", organisation=org_a)
        draft = make_petition(slug="draft-a", organisation=org_a, status="draft")
        response = client_a.post(
            "/admin/petitions/petition/",
            {"action": "close_petitions", "_selected_action": [petition_a.pk, other.pk, draft.pk]},
        )
        assert response.status_code == 302
        statuses = dict(Petition.objects.values_list("slug", "status"))
        assert statuses == {"water-a": "closed", "other-a": "closed", "draft-a": "draft"}
        assert sorted(closed_events) == sorted([petition_a.pk, other.pk])

    def test_closing_in_the_form_is_announced_too(self, client_a, petition_a, closed_events):
        data = petition_form_data(petition_a, organisation=petition_a.organisation_id)
        response = client_a.post(admin_url(petition_a, "change"), {**data, "status": "closed"})
        assert response.status_code == 302, response.context["adminform"].errors
        assert closed_events == [petition_a.pk]
        assert AuditEntry.objects.filter(petition=petition_a, action="petition_closed").exists()

    def test_the_change_page_links_to_the_steps_the_role_allows(self, client, org_a, petition_a):
        viewer = as_member(client, org_a, Role.VIEWER)
        page = viewer.get(admin_url(petition_a, "change")).text
        assert admin_url(petition_a, "dashboard") in page
        assert admin_url(petition_a, "close") not in page
        editor = as_member(client, org_a, Role.EDITOR)
        page = editor.get(admin_url(petition_a, "change")).text
        assert admin_url(petition_a, "close") in page
        assert admin_url(petition_a, "preview") in page


@pytest.mark.django_db
def test_an_archived_petition_is_readable_and_refuses_signatures(client_a, petition_a):
    assert client_a.post(admin_url(petition_a, "archive")).status_code == 302
    petition_a.refresh_from_db()
    assert petition_a.status == Petition.Status.OPEN  # only closed petitions are archived

    lifecycle.close(petition_a)
    petition_a.refresh_from_db()
    closed_at = petition_a.closed_at
    client_a.post(admin_url(petition_a, "archive"))
    petition_a.refresh_from_db()
    assert petition_a.status == Petition.Status.ARCHIVED
    assert petition_a.closed_at == closed_at  # retention still counts from the closing

    client_a.logout()
    page = client_a.get(url("petitions:detail", slug=petition_a.slug))
    assert page.status_code == 200
    assert "no longer takes signatures" in page.text
    assert 'name="full_name"' not in page.text
    assert sign(client_a, petition_a).status_code == 409
    assert not Signature.objects.filter(petition=petition_a).exists()


@pytest.mark.django_db
def test_the_closing_date_task_closes_what_is_due_and_comes_back(org_a, closed_events, settings):
    today = timezone.localdate()
    due = make_petition(slug="due", organisation=org_a, closes_on=today - timedelta(days=1))
    last_day = make_petition(slug="last-day", organisation=org_a, closes_on=today)
    endless = make_petition(slug="endless", organisation=org_a)
    draft = make_petition(
        slug="draft", organisation=org_a, status="draft", closes_on=today - timedelta(days=3)
    )
    lifecycle.close_due_petitions.enqueue()
    run_worker()

    statuses = dict(Petition.objects.values_list("slug", "status"))
    assert statuses == {"due": "closed", "last-day": "open", "endless": "open", "draft": "draft"}
    assert closed_events == [due.pk]
    assert AuditEntry.objects.get(petition=due).action == "petition_closed_on_date"
    # The next run is queued, for later.
    queued = DBTaskResult.objects.get(
        task_path=lifecycle.close_due_petitions.module_path, status=TaskResultStatus.READY
    )
    assert queued.run_after > timezone.now()
    assert {last_day.pk, endless.pk, draft.pk}.isdisjoint(closed_events)


@pytest.mark.django_db
def test_schedule_tasks_starts_the_lifecycle_tasks_once():
    for _ in range(2):
        call_command("schedule_tasks", stdout=StringIO())
    for periodic in lifecycle.PERIODIC:
        queued = DBTaskResult.objects.filter(task_path=periodic.module_path)
        assert queued.count() == 1, periodic.name


def confirmed(petition: Petition, count: int, start: int = 0) -> None:
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            full_name=f"Signer {n}",
            email=f"signer{n}@example.org",
            language="en",
            status=Signature.Status.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        for n in range(start, start + count)
    )
    counting.reconcile()


def check_milestones() -> None:
    lifecycle.check_milestones.enqueue()
    run_worker()
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).delete()  # the next run


@pytest.mark.django_db
def test_milestones_are_announced_once_by_e_mail(mailbox, org_a, org_b, milestone_events):
    petition = make_petition(slug="growing", organisation=org_a, goal=150)
    editor = member(org_a, Role.EDITOR, "editor")
    viewer = member(org_a, Role.VIEWER, "viewer")
    member(org_b, Role.OWNER, "outsider")
    silent = member(org_a, Role.VIEWER, "no-address")
    User.objects.filter(pk=silent.pk).update(email="")

    confirmed(petition, 99)
    check_milestones()
    assert mailbox.messages == []
    assert not Milestone.objects.exists()

    confirmed(petition, 1, start=99)
    check_milestones()
    assert list(petition.milestones.values_list("number", flat=True)) == [100]
    assert milestone_events == [(petition.pk, 100)]
    assert sorted(message["To"] for message in mailbox.messages) == sorted(
        [editor.email, viewer.email]
    )
    message = mailbox.to(editor.email)[0]
    assert "100 signatures" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert f"/admin/petitions/petition/{petition.pk}/dashboard/" in text
    assert message.get_body(("html",)) is not None

    check_milestones()  # nothing new: nothing sent again
    assert len(mailbox.messages) == 2
    assert Milestone.objects.count() == 1

    confirmed(petition, 50, start=100)
    check_milestones()
    assert list(petition.milestones.values_list("number", flat=True)) == [100, 150]
    assert milestone_events == [(petition.pk, 100), (petition.pk, 150)]
    goal_messages = mailbox.messages[2:]
    assert len(goal_messages) == 2
    assert all("Goal reached" in message["Subject"] for message in goal_messages)


@pytest.mark.django_db
def test_a_large_petition_gets_every_milestone_noted_and_one_e_mail(org_a, milestone_events):
    petition = make_petition(slug="big", organisation=org_a, goal=2000)
    member(org_a, Role.OWNER, "owner")
    confirmed(petition, 1000)
    noted = lifecycle.note_milestones(petition)
    assert [milestone.number for milestone in noted] == [100, 1000]
    assert [number for _, number in milestone_events] == [100, 1000]
    mails = DBTaskResult.objects.filter(task_path=lifecycle.send_milestone_email.module_path)
    assert [task.args_kwargs["args"][0] for task in mails] == [noted[-1].pk]
    assert lifecycle.note_milestones(petition) == []


@pytest.mark.parametrize(
    ("count", "goal", "expected"),
    [
        (0, None, []),
        (99, 50, [50]),
        (100, None, [100]),
        (12_345, 12_000, [100, 1000, 10_000, 12_000]),
        (1_000_000, 1_000_000, [100, 1000, 10_000, 100_000, 1_000_000]),
    ],
)
def test_the_milestones_up_to_a_count(count, goal, expected):
    assert lifecycle.milestones_up_to(count, goal) == expected


@pytest.mark.django_db
class TestEditing:
    def test_the_goal_is_raised_above_the_count_only(self, client_a, petition_a):
        confirmed(petition_a, 5)
        data = petition_form_data(petition_a, organisation=petition_a.organisation_id)
        response = client_a.post(admin_url(petition_a, "change"), {**data, "goal": "5"})
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors.as_data()["goal"]
        assert [error.code for error in errors] == ["goal_reached"]
        response = client_a.post(admin_url(petition_a, "change"), {**data, "goal": "6"})
        assert response.status_code == 302
        petition_a.refresh_from_db()
        assert petition_a.goal == 6

    def test_the_preview_shows_the_edited_text_without_saving(self, client_a, petition_a):
        data = petition_form_data(petition_a, organisation=petition_a.organisation_id)
        data.update({"texts-0-title": "A better title", "texts-0-body": "New **words**."})
        response = client_a.post(admin_url(petition_a, "preview"), {**data, "_preview": "en"})
        assert response.status_code == 200
        assert "A better title" in response.text
        assert "<strong>words</strong>" in response.text
        assert "Preview: nothing is saved." in response.text
        assert petition_a.texts.get().title == "Water for A"

    def test_a_preview_of_a_broken_form_shows_its_errors(self, client_a, petition_a):
        data = petition_form_data(petition_a, organisation=petition_a.organisation_id)
        response = client_a.post(admin_url(petition_a, "preview"), {**data, "slug": ""})
        assert response.status_code == 400
        assert "This field is required" in response.text

    def test_only_editors_preview(self, client, org_a, petition_a):
        as_member(client, org_a, Role.MODERATOR)
        data = petition_form_data(petition_a, organisation=petition_a.organisation_id)
        assert client.post(admin_url(petition_a, "preview"), data).status_code == 403
        assert client.get(admin_url(petition_a, "preview")).status_code == 405
