"""Sign POSTs that arrive together are written in one transaction (signing.GroupCommit).

Each test holds the writer busy while its signers post, so that they all wait for it, then lets
it go: the next thread writes everything that gathered, as on a busy server.
"""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firma.petitions.mail import tasks as tasks
from firma.petitions.models import Signature
from firma.petitions.signing.services import group_commit
from tests.conftest import confirmation_path, cool_down_passed, run_worker, sign

pytestmark = pytest.mark.django_db(transaction=True)

BATCH_TASK = tasks.send_confirmation_requests.module_path


def sign_together(petition, addresses: list[str], **fields) -> list[int]:
    """POST one signature per address from as many threads, all waiting on the writer at
    once, with the other `fields` of the form; the status codes."""
    with group_commit.turn:
        group_commit.busy = True

    def post(number_and_address):
        number, address = number_and_address
        try:
            return sign(
                Client(), petition, REMOTE_ADDR=f"10.0.0.{number}", email=address, **fields
            ).status_code
        finally:
            # Each thread has a connection of its own; left open, it keeps PostgreSQL from
            # dropping the test database at the end.
            connection.close()

    with ThreadPoolExecutor(len(addresses)) as pool:
        statuses = pool.map(post, enumerate(addresses, start=1))
        deadline = time.monotonic() + 10
        while len(group_commit.waiting) < len(addresses) and time.monotonic() < deadline:
            time.sleep(0.01)
        waiting = len(group_commit.waiting)
        with group_commit.turn:
            group_commit.busy = False
            group_commit.turn.notify_all()
        statuses = list(statuses)
    assert waiting == len(addresses)
    return statuses


def test_signatures_sent_together_are_stored_together_and_each_gets_one_link(
    client, petition, mailbox
):
    addresses = [f"signer{n}@example.org" for n in range(6)]
    assert sign_together(petition, addresses) == [302] * 6

    assert sorted(Signature.objects.values_list("email", flat=True)) == sorted(addresses)
    [batch] = DBTaskResult.objects.filter(task_path=BATCH_TASK)
    assert len(batch.args_kwargs["args"][0]) == 6
    run_worker()
    assert sorted(m["To"] for m in mailbox.messages) == sorted(addresses)
    for message in mailbox.messages:
        assert client.post(confirmation_path(message)).status_code == 302
    assert Signature.objects.confirmed().count() == 6


def test_a_repeated_address_in_a_batch_is_handled_as_when_signing_alone(client, petition, mailbox):
    sign(client, petition, email="early@example.org")
    run_worker()
    client.post(confirmation_path(mailbox.messages.pop()))
    cool_down_passed()
    addresses = ["early@example.org", "twice@example.org", "twice@example.org", "new@example.org"]

    assert sign_together(petition, addresses) == [302] * 4

    assert Signature.objects.count() == 3  # no address twice
    run_worker()
    received = sorted(m["To"] for m in mailbox.messages)
    # The confirmed signer gets the short note; the one who sent twice, one link: the second
    # submission within the hour changes the details and sends nothing (mail.cooldown).
    assert received == sorted(set(addresses))
    note = next(m for m in mailbox.messages if m["To"] == "early@example.org")
    assert "/confirm/" not in note.get_body(("plain",)).get_content()


def test_a_batch_task_run_again_sends_only_what_it_had_not_sent(petition, mailbox):
    addresses = [f"signer{n}@example.org" for n in range(4)]
    sign_together(petition, addresses)
    run_worker()
    assert len(mailbox.messages) == 4
    # As recovery.requeue_stalled does for a task whose worker died after sending.
    DBTaskResult.objects.filter(task_path=BATCH_TASK).update(status=TaskResultStatus.READY)
    run_worker()
    assert len(mailbox.messages) == 4


def test_a_signer_alone_is_written_at_once(client, petition):
    assert sign(client, petition).status_code == 302
    assert Signature.objects.count() == 1
    assert not group_commit.busy and group_commit.waiting == []
