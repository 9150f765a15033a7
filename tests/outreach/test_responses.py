"""Responses in the workspace and on the page: published as written or declined, entered when
received elsewhere, translated, e-mailed through a real SMTP server on loopback to the signers
who asked for news (who can unsubscribe), follow-ups after first answers, silence after the
deadline, and who may do what."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firma.organiser.audit.models import AuditEntry
from firma.organiser.responses import mail, services
from firma.petitions.models import Response
from firma.tenancy.models import Membership
from tests.conftest import run_worker, url

from .conftest import RECIPIENTS, add, admin_url, answer, as_member, deliver

Role = Membership.Role


def page(client: Client, petition, language: str = "en") -> str:
    response = client.get(url("petitions:detail", language, slug=petition.slug))
    assert response.status_code == 200
    return response.text


def addressees(mailbox) -> list[str]:
    return sorted(message["To"] for message in mailbox.messages)


def unsubscribe_path(message) -> str:
    text = message.get_body(("plain",)).get_content()
    [path] = re.findall(r"https?://[^/\s]+(/\S*/unsubscribe/\S+)", text)
    return path


def actions(petition) -> list[str]:
    return list(AuditEntry.objects.filter(petition=petition).values_list("action", flat=True))


@pytest.mark.django_db(transaction=True)
def test_an_editor_publishes_a_response_which_the_page_and_the_signers_get(
    client_a, petition, pending, signers, mailbox
):
    listing = client_a.get(admin_url(petition))
    assert listing.status_code == 200
    assert "<strong>clean water</strong>" in listing.text
    assert "<script>alert" not in listing.text
    assert "Response from Rosa Rivera" not in page(Client(), petition)

    published = client_a.post(admin_url(petition, f"responses/{pending.pk}/publish/"))
    assert published.status_code == 302

    pending.refresh_from_db()
    assert pending.status == Response.Status.PUBLISHED
    assert pending.published_at is not None
    shown = page(Client(), petition)
    assert "Response from Rosa Rivera, Minister of Water" in shown
    assert "<strong>clean water</strong>" in shown
    assert "<script>alert" not in shown
    assert f'id="response-{pending.pk}"' in shown
    assert "Ministra del Agua" in page(Client(), petition, "es")
    assert actions(petition) == ["response_published"]

    run_worker()
    assert addressees(mailbox) == RECIPIENTS
    message = mailbox.to("ana@example.org")[0]
    assert message["Subject"] == "Rosa Rivera responded to “Water for A”"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(message) in message["List-Unsubscribe"]
    html = message.get_body(("html",)).get_content()
    assert "<strong>clean water</strong>" in html
    assert "<script" not in html
    assert "respondió" in mailbox.to("berta@example.org")[0]["Subject"]
    pending.refresh_from_db()
    assert pending.signers_notified_at is not None

    # Publishing twice changes nothing and sends nothing more.
    client_a.post(admin_url(petition, f"responses/{pending.pk}/publish/"))
    run_worker()
    assert len(mailbox.messages) == 3


@pytest.mark.django_db(transaction=True)
def test_signers_get_the_organisers_translation_and_can_unsubscribe(
    client_a, petition, pending, minister, signers, mailbox
):
    form = {"language": "es", "text": "Financiaremos **agua limpia** en cada escuela."}
    saved = client_a.post(admin_url(petition, f"responses/{pending.pk}/translate/"), form)
    assert saved.status_code == 302
    client_a.post(admin_url(petition, f"responses/{pending.pk}/publish/"))
    run_worker()

    spanish = mailbox.to("berta@example.org")[0].get_body(("plain",)).get_content()
    assert "Financiaremos **agua limpia**" in spanish
    english = mailbox.to("ana@example.org")[0].get_body(("plain",)).get_content()
    assert "We will fund **clean water**" in english
    # The Spanish page shows the translation, and the original words a click away.
    shown = page(Client(), petition, "es")
    assert "<strong>agua limpia</strong>" in shown
    assert "<strong>clean water</strong>" in shown
    pending.refresh_from_db()
    assert pending.text.startswith("We will fund")

    # One click in the mail program, and the next response does not reach Ana.
    path = unsubscribe_path(mailbox.to("ana@example.org")[0])
    done = Client().post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    signers["ana"].refresh_from_db()
    assert signers["ana"].news_opt_in is False
    later = answer(petition, minister, "And we have started.")
    services.publish(later, None)
    run_worker()
    assert [m["To"] for m in mailbox.messages[3:]] == ["berta@example.org", "chloe@example.org"]


@pytest.mark.django_db
def test_a_response_declined_with_a_reason_is_not_shown(client_a, petition, pending):
    path = admin_url(petition, f"responses/{pending.pk}/decline/")
    assert client_a.get(path).status_code == 200
    refused = client_a.post(path, {"reason": ""})
    assert refused.status_code == 200
    assert "This field is required" in refused.text

    assert client_a.post(path, {"reason": "Abusive language"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == Response.Status.DECLINED
    assert pending.decline_reason == "Abusive language"
    assert "Response from Rosa Rivera" not in page(Client(), petition)
    entry = AuditEntry.objects.get(petition=petition)
    assert entry.action == "response_declined"
    assert "Abusive language" in entry.detail
    # Declined is final: it cannot be published afterwards.
    client_a.post(admin_url(petition, f"responses/{pending.pk}/publish/"))
    pending.refresh_from_db()
    assert pending.status == Response.Status.DECLINED


@pytest.mark.django_db
def test_a_response_received_by_post_is_entered_and_shown_as_such(
    client_a, petition, mayor, delivery
):
    form = {
        "target": mayor.pk,
        "text": "The council will vote on it.",
        "language": "en",
        "received_via": "post",
        "received_at": "2026-03-02 10:00",
        "document_url": "https://town.example/letter.pdf",
        "publish_now": "on",
    }
    assert client_a.get(admin_url(petition, "responses/new/")).status_code == 200
    assert client_a.post(admin_url(petition, "responses/new/"), form).status_code == 302

    response = Response.objects.get(petition=petition)
    assert response.source == Response.Source.ENTERED
    assert response.status == Response.Status.PUBLISHED
    shown = page(Client(), petition)
    assert "received by post, entered by the organisers" in shown
    assert "https://town.example/letter.pdf" in shown
    assert actions(petition) == ["response_published", "response_entered"]

    too_long = {**form, "text": "x" * 20_001}
    refused = client_a.post(admin_url(petition, "responses/new/"), too_long)
    assert refused.status_code == 200
    assert "at most 20000 characters" in refused.text


@pytest.mark.django_db
def test_a_later_answer_is_a_follow_up_after_the_first(petition, minister, mayor, delivery):
    now = timezone.now()
    first = answer(petition, minister, "First answer.", received_at=now - timedelta(days=2))
    other = answer(petition, mayor, "The answer of the mayor.", received_at=now - timedelta(days=1))
    later = answer(petition, minister, "Follow-up answer.", received_at=now)
    for response in (later, other, first):  # published in any order
        services.publish(response, None)

    shown = page(Client(), petition)
    assert shown.index("First answer.") < shown.index("Follow-up answer.")
    assert shown.index("Follow-up answer.") < shown.index("The answer of the mayor.")
    assert "Follow-up from Rosa Rivera" in shown
    assert shown.count("Response from") == 2


@pytest.mark.django_db
def test_the_page_says_who_has_not_answered_after_the_deadline(petition, minister, mayor):
    deliver(petition, [minister, mayor], days_ago=13)
    assert "has not answered" not in page(Client(), petition)

    deliver(petition, [minister], days_ago=20)
    shown = page(Client(), petition)
    assert "Rosa Rivera, Minister of Water, has not answered after 20 days." in shown
    assert "Tom Town has not answered" not in shown

    services.publish(answer(petition, minister, "Here is our answer."), None)
    assert "has not answered" not in page(Client(), petition)


@pytest.mark.django_db
def test_publishing_renders_the_cached_page_again(
    settings, petition, pending, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    reader = Client()
    assert "Response from Rosa Rivera" not in page(reader, petition)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(pending, None)
    assert "Response from Rosa Rivera" in page(reader, petition)


@pytest.mark.django_db
def test_viewers_see_editors_decide_others_are_kept_out(client, org_a, org_b, petition, pending):
    as_member(client, org_a, Role.VIEWER)
    assert client.get(admin_url(petition)).status_code == 200
    assert "Publish as written" not in client.get(admin_url(petition)).text
    for view in ("publish/", "decline/", "translate/"):
        path = admin_url(petition, f"responses/{pending.pk}/{view}")
        assert client.post(path, {"reason": "x"}).status_code == 403
    assert client.get(admin_url(petition, "responses/new/")).status_code == 403
    assert client.get(admin_url(petition, "outcome/")).status_code == 403

    as_member(client, org_b, Role.OWNER)
    assert client.get(admin_url(petition)).status_code == 404
    assert client.post(admin_url(petition, f"responses/{pending.pk}/publish/")).status_code == 404

    client.logout()
    assert client.get(admin_url(petition)).status_code == 302
    pending.refresh_from_db()
    assert pending.status == Response.Status.PENDING
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_response_of_another_petition_is_not_found(client_a, petition, petition_b, org_a):
    other = answer(petition_b, None, "Elsewhere.")
    path = admin_url(petition, f"responses/{other.pk}/publish/")
    assert client_a.post(path).status_code == 404
    assert add is not None and settings.LANGUAGES


def queued_runs() -> list[DBTaskResult]:
    path = mail.send_response_notices.module_path
    return list(DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY))


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_down_delays_the_e_mails_and_nobody_gets_two(
    settings, petition, pending, signers, smtp_server
):
    smtp_server.stop()
    services.publish(pending, None)
    run_worker()
    [next_run] = queued_runs()
    assert next_run.run_after - timezone.now() > timedelta(seconds=50)

    smtp_server.start()
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
    run_worker()
    assert addressees(smtp_server.mailbox) == RECIPIENTS

    # The same batch run again, as after a worker that died before noting its end: no repeats.
    mail.send_response_notices.enqueue(pending.pk)
    run_worker()
    assert addressees(smtp_server.mailbox) == RECIPIENTS


@pytest.mark.django_db(transaction=True)
def test_the_e_mails_are_sent_in_throttled_batches(settings, petition, pending, signers, mailbox):
    settings.UPDATE_SEND_RATE = 2
    services.publish(pending, None)
    run_worker()
    assert len(mailbox.messages) == 2
    [next_run] = queued_runs()
    assert timedelta(seconds=59) < next_run.run_after - timezone.now() <= timedelta(seconds=60)
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
    run_worker()
    assert addressees(mailbox) == RECIPIENTS
    pending.refresh_from_db()
    assert pending.signers_notified_at is not None
