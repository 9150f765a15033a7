"""The count to deliver at: noted once by the periodic task, e-mailed to the editors and owners,
shown on the delivery page; with auto_deliver on, the petition is delivered by itself."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firma.organiser.audit.models import AuditEntry
from firma.organiser.delivery import services as delivery
from firma.petitions.models import Delivery, Petition, Target
from firma.tenancy.models import Membership
from tests.conftest import make_petition, run_worker
from tests.organiser.conftest import member
from tests.organiser.test_lifecycle import confirmed

pytestmark = pytest.mark.django_db(transaction=True)

Role = Membership.Role


def check_thresholds() -> None:
    delivery.check_thresholds.enqueue()
    run_worker()
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).delete()  # the next run


def test_the_organisers_are_told_once_when_the_count_is_reached(mailbox, org_a, client):
    petition = make_petition(slug="growing", organisation=org_a, deliver_at=10)
    Target.objects.create(petition=petition, name="Minister", email="minister@gov.example")
    editor = member(org_a, Role.EDITOR, "editor")
    owner = member(org_a, Role.OWNER, "owner")
    member(org_a, Role.VIEWER, "viewer")

    confirmed(petition, 9)
    check_thresholds()
    assert mailbox.messages == []
    assert Petition.objects.get(pk=petition.pk).threshold_reached_at is None

    confirmed(petition, 1, start=9)
    check_thresholds()
    check_thresholds()  # once only
    assert Petition.objects.get(pk=petition.pk).threshold_reached_at is not None
    assert sorted(message["To"] for message in mailbox.messages) == sorted(
        [editor.email, owner.email]
    )
    message = mailbox.to(editor.email)[0]
    assert "10 signatures" in message["Subject"]
    assert (
        f"/admin/petitions/petition/{petition.pk}/delivery/"
        in message.get_body(("plain",)).get_content()
    )
    assert not Delivery.objects.exists()  # not automatic unless asked
    assert AuditEntry.objects.filter(petition=petition, action="delivery_count_reached").exists()

    client.force_login(editor)
    page = client.get(f"/admin/petitions/petition/{petition.pk}/delivery/").content.decode()
    assert "It reached 10 signatures, the count to deliver at" in page
    assert "10 confirmed, valid signatures now" in page


def test_with_auto_deliver_the_targets_are_e_mailed(mailbox, org_a):
    petition = make_petition(slug="auto", organisation=org_a, deliver_at=5, auto_deliver=True)
    Target.objects.create(petition=petition, name="Minister", email="minister@gov.example")
    Target.objects.create(petition=petition, name="No address")
    confirmed(petition, 6)
    check_thresholds()
    run_worker()
    made = Delivery.objects.get()
    assert (made.method, made.signature_count) == (Delivery.Method.EMAIL, 6)
    assert [target.name for target in made.targets.all()] == ["Minister"]
    assert len(mailbox.to("minister@gov.example")) == 1


def test_schedule_tasks_starts_the_threshold_check():
    call_command("schedule_tasks", stdout=StringIO())
    assert DBTaskResult.objects.filter(task_path=delivery.check_thresholds.module_path).exists()
