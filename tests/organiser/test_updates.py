"""Updates to signers: written and sent in the admin, delivered through a real SMTP server on
loopback by the task worker, once each, only to the confirmed signers who asked for news; the
one-click unsubscribe; the updates on the petition page."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firma.organiser.updates import services as updates
from firma.organiser.updates.models import Update, UpdateDelivery, UpdateText
from firma.petitions import counting
from firma.petitions.models import Invalidation, Petition, Signature
from firma.tenancy.models import Membership
from tests.conftest import make_petition, run_worker, url

from .conftest import add, as_member

Role = Membership.Role
TASK_PATH = updates.send_update.module_path
NEWS = {
    "en": ("The minister answered", "She will meet us on **Monday**.<script>alert(1)</script>"),
    "es": ("La ministra respondió", "Nos recibirá el **lunes**."),
}


@pytest.fixture
def petition(org_a) -> Petition:
    return make_petition(
        slug="water-a",
        organisation=org_a,
        texts={"en": ("Water for A", "Text of A."), "es": ("Agua para A", "Texto de A.")},
    )


@pytest.fixture
def signers(petition, petition_b) -> dict[str, Signature]:
    """Who asked for news and counts, and every kind of signer who must get nothing."""
    batch = Invalidation.objects.create(petition=petition, description="fakes")
    people = {
        "ana": add(petition, "Ana", "ana@example.org", news_opt_in=True, language="en"),
        "berta": add(petition, "Berta", "berta@example.org", news_opt_in=True, language="es"),
        "chloé": add(petition, "Chloé", "chloe@example.org", news_opt_in=True, language="fr"),
        "no-news": add(petition, "Dan", "dan@example.org", news_opt_in=False),
        "pending": add(
            petition, "Eve", "eve@example.org", news_opt_in=True, status=Signature.Status.PENDING
        ),
        "fake": add(petition, "Fake", "fake@example.org", news_opt_in=True, invalidation=batch),
        "erased": add(petition, "", "", news_opt_in=True, anonymised_at=timezone.now()),
        "other-petition": add(petition_b, "Gil", "gil@example.org", news_opt_in=True),
    }
    counting.reconcile()
    return people


RECIPIENTS = ["ana@example.org", "berta@example.org", "chloe@example.org"]


def admin_path(update: Update, view: str) -> str:
    return f"/admin/organiser/update/{update.pk}/{view}/"


def update_form(petition: Petition, texts: dict[str, tuple[str, str]] = NEWS) -> dict:
    data = {
        "petition": petition.pk,
        "texts-TOTAL_FORMS": str(len(texts)),
        "texts-INITIAL_FORMS": "0",
        "texts-MIN_NUM_FORMS": "1",
        "texts-MAX_NUM_FORMS": "1000",
    }
    for number, (language, (subject, body)) in enumerate(texts.items()):
        prefix = f"texts-{number}-"
        data.update({prefix + "language": language, prefix + "subject": subject})
        data[prefix + "body"] = body
    return data


def write(client, petition: Petition, texts: dict[str, tuple[str, str]] = NEWS) -> Update:
    response = client.post("/admin/organiser/update/add/", update_form(petition, texts))
    assert response.status_code == 302, response.content.decode()
    return Update.objects.latest("pk")


@pytest.fixture
def update(petition, editor_a) -> Update:
    """A draft written straight into the database, for the tests about what follows."""
    update = Update.objects.create(petition=petition, created_by=editor_a)
    for language, (subject, body) in NEWS.items():
        UpdateText.objects.create(update=update, language=language, subject=subject, body=body)
    return update


def send(client, update: Update) -> None:
    response = client.post(admin_path(update, "send"))
    assert response.status_code == 302, response.content.decode()


def status_of(update: Update) -> str:
    update.refresh_from_db()
    return update.status


def queued_runs() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY))


def a_minute_passes() -> None:
    """The throttled next run comes due."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def addressees(mailbox) -> list[str]:
    return sorted(message["To"] for message in mailbox.messages)


def unsubscribe_path(message) -> str:
    text = message.get_body(("plain",)).get_content()
    links = re.findall(r"https?://[^/\s]+(/\S*/unsubscribe/\S+/)", text)
    assert len(links) == 1, text
    return links[0]


@pytest.mark.django_db
def test_an_editor_writes_previews_and_sends_an_update(client_a, editor_a, signers, mailbox):
    update = write(client_a, signers["ana"].petition)
    assert update.status == Update.Status.DRAFT
    assert update.created_by == editor_a

    preview = client_a.get(admin_path(update, "preview")).content.decode()
    assert "La ministra respondió" in preview
    assert "<strong>Monday</strong>" in preview
    assert "<script>alert" not in preview
    assert mailbox.messages == []

    page = client_a.get(admin_path(update, "send")).content.decode()
    assert "Publish and send" in page
    send(client_a, update)
    assert status_of(update) == Update.Status.SENDING
    assert update.published_at is not None

    run_worker()

    assert addressees(mailbox) == RECIPIENTS
    subjects = {message["To"]: message["Subject"] for message in mailbox.messages}
    assert subjects == {
        "ana@example.org": "The minister answered",
        "berta@example.org": "La ministra respondió",
        # No French text: the petition's default language.
        "chloe@example.org": "The minister answered",
    }
    spanish = mailbox.to("berta@example.org")[0]
    assert "Nos recibirá el **lunes**." in spanish.get_body(("plain",)).get_content()
    assert status_of(update) == Update.Status.SENT
    assert queued_runs() == []
    assert UpdateDelivery.objects.filter(update=update, sent_at__isnull=False).count() == 3


@pytest.mark.django_db
def test_each_e_mail_has_the_unsubscribe_headers_and_a_safe_body(
    client_a, update, signers, mailbox
):
    send(client_a, update)
    run_worker()

    message = mailbox.to("ana@example.org")[0]
    path = unsubscribe_path(message)
    # Folded after the colon when long, which parsers unfold.
    assert message["List-Unsubscribe"].strip() == (
        f"<{settings.BASE_URL}{path}>, <mailto:petitions@localhost?subject=unsubscribe>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("html",)).get_content()
    assert "<strong>Monday</strong>" in html
    assert "<script" not in html
    assert path in html
    # The link says which signer it is for; the other signer's link is another.
    assert unsubscribe_path(mailbox.to("berta@example.org")[0]) != path
    assert path.startswith("/en/")
    assert unsubscribe_path(mailbox.to("berta@example.org")[0]).startswith("/es/")


@pytest.fixture
def slow(settings):
    settings.UPDATE_SEND_RATE = 2
    return settings


@pytest.mark.django_db
def test_sending_is_throttled_and_can_be_paused_and_resumed(
    slow, client_a, petition, update, signers, mailbox
):
    for number in range(2):
        add(petition, f"More {number}", f"more{number}@example.org", news_opt_in=True)
    send(client_a, update)

    run_worker()
    assert len(mailbox.messages) == 2
    [next_run] = queued_runs()
    assert timedelta(seconds=59) < next_run.run_after - timezone.now() <= timedelta(seconds=60)

    assert client_a.post(admin_path(update, "pause")).status_code == 302
    assert status_of(update) == Update.Status.PAUSED
    a_minute_passes()
    run_worker()
    assert len(mailbox.messages) == 2
    assert queued_runs() == []

    assert client_a.post(admin_path(update, "resume")).status_code == 302
    assert client_a.post(admin_path(update, "resume")).status_code == 302
    assert len(queued_runs()) == 1
    run_worker()
    assert len(mailbox.messages) == 4
    assert status_of(update) == Update.Status.SENDING
    a_minute_passes()
    run_worker()

    assert addressees(mailbox) == sorted([*RECIPIENTS, "more0@example.org", "more1@example.org"])
    assert status_of(update) == Update.Status.SENT


@pytest.mark.django_db
def test_nobody_receives_the_same_update_twice(client_a, update, signers, mailbox):
    # A worker died after claiming Ana and before the mail server answered: she may have it.
    UpdateDelivery.objects.create(update=update, signature=signers["ana"])
    send(client_a, update)
    run_worker()
    assert addressees(mailbox) == ["berta@example.org", "chloe@example.org"]

    # Runs queued again by hand, and resuming a sent update, send nothing more.
    updates.send_update.enqueue(update.pk)
    updates.send_update.enqueue(update.pk)
    client_a.post(admin_path(update, "resume"))
    Update.objects.filter(pk=update.pk).update(status=Update.Status.SENDING)
    run_worker()
    assert addressees(mailbox) == ["berta@example.org", "chloe@example.org"]
    assert status_of(update) == Update.Status.SENT

    page = client_a.get(admin_path(update, "send")).content.decode()
    assert re.search(r"Unconfirmed.*?<td>1</td>", page, re.S)


@pytest.mark.django_db
def test_a_mail_server_down_delays_the_update(client_a, update, signers, smtp_server):
    smtp_server.stop()
    send(client_a, update)
    run_worker()
    assert not UpdateDelivery.objects.exists()
    [next_run] = queued_runs()
    assert next_run.run_after - timezone.now() > timedelta(seconds=50)

    smtp_server.start()
    a_minute_passes()
    run_worker()
    assert addressees(smtp_server.mailbox) == RECIPIENTS


@pytest.mark.django_db
def test_a_refused_address_is_noted_and_not_tried_again(client_a, update, signers, smtp_server):
    smtp_server.mailbox.refuse_recipients = True
    send(client_a, update)
    run_worker()
    errors = UpdateDelivery.objects.filter(update=update).values_list("error", flat=True)
    assert len(errors) == 3
    assert all("No such mailbox" in error for error in errors)
    assert status_of(update) == Update.Status.SENT

    smtp_server.mailbox.refuse_recipients = False
    client_a.post(admin_path(update, "resume"))
    Update.objects.filter(pk=update.pk).update(status=Update.Status.SENDING)
    updates.send_update.enqueue(update.pk)
    run_worker()
    assert smtp_server.mailbox.messages == []


# Unsubscribing.


@pytest.fixture
def sent(client_a, update, signers, mailbox):
    send(client_a, update)
    run_worker()
    return mailbox


def wants_news(signature: Signature) -> bool:
    signature.refresh_from_db()
    return signature.news_opt_in


@pytest.mark.django_db
def test_opening_the_unsubscribe_link_changes_nothing_its_button_does(sent, signers):
    path = unsubscribe_path(sent.to("ana@example.org")[0])
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(path)
    assert page.status_code == 200
    assert "Stop sending me news" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert wants_news(signers["ana"])

    # A form another site posted is refused: the browser says where it came from.
    elsewhere = {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"}
    assert browser.post(path, **elsewhere).status_code == 403
    assert wants_news(signers["ana"])

    # The page's own button, under its no-referrer policy: "Origin: null", same-origin.
    response = browser.post(path, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302
    assert not wants_news(signers["ana"])
    assert wants_news(signers["berta"])
    assert "You will get no more news" in browser.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_mail_programs_unsubscribe_in_one_click(sent, signers):
    path = unsubscribe_path(sent.to("berta@example.org")[0])
    # RFC 8058: a POST with this body, no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not wants_news(signers["berta"])
    assert wants_news(signers["ana"])


@pytest.mark.django_db
def test_forged_or_misplaced_unsubscribe_links_are_not_found(sent, signers, petition_b):
    path = unsubscribe_path(sent.to("ana@example.org")[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    client = Client()
    assert client.get(path.replace(token, token[:-2] + "xx")).status_code == 404
    assert client.post(path.replace("water-a", petition_b.slug), {}).status_code == 404
    text = sent.to("ana@example.org")[0].get_body(("plain",)).get_content()
    my_signature = re.search(r"/my/(\S+)/", text)
    assert client.get(path.replace(token, my_signature.group(1))).status_code == 404
    assert wants_news(signers["ana"])


@pytest.mark.django_db
def test_who_unsubscribed_gets_no_more_updates(client_a, petition, sent, signers):
    path = unsubscribe_path(sent.to("ana@example.org")[0])
    Client().post(path, {"List-Unsubscribe": "One-Click"})

    later = write(client_a, petition, {"en": ("Second news", "More.")})
    send(client_a, later)
    run_worker()

    second = [message["To"] for message in sent.messages if message["Subject"] == "Second news"]
    assert sorted(second) == ["berta@example.org", "chloe@example.org"]


# The petition page.


@pytest.mark.django_db
def test_published_updates_show_on_the_petition_page_in_the_readers_language(
    client, client_a, petition, update
):
    draft = write(client_a, petition, {"en": ("Not yet", "Draft.")})
    page = client.get(url("petitions:detail", "en", slug=petition.slug)).content.decode()
    assert "The minister answered" not in page

    send(client_a, update)
    english = client.get(url("petitions:detail", "en", slug=petition.slug)).content.decode()
    spanish = client.get(url("petitions:detail", "es", slug=petition.slug)).content.decode()
    french = client.get(url("petitions:detail", "fr", slug=petition.slug)).content.decode()

    assert "The minister answered" in english
    assert "<strong>Monday</strong>" in english
    assert "<script>alert" not in english
    assert "La ministra respondió" in spanish
    assert "The minister answered" not in spanish
    assert "The minister answered" in french
    assert "Not yet" not in english
    assert draft.status == Update.Status.DRAFT


# Writing, and who may.


def test_the_default_language_text_is_required(client_a, petition):
    response = client_a.post(
        "/admin/organiser/update/add/", update_form(petition, {"es": NEWS["es"]})
    )
    assert response.status_code == 200
    assert "default language" in response.content.decode()
    assert not Update.objects.exists()


def test_a_sent_update_is_no_longer_edited(client_a, update):
    Update.objects.filter(pk=update.pk).update(
        status=Update.Status.SENT, published_at=timezone.now()
    )
    data = {
        **update_form(update.petition, {"en": ("Changed", "Changed.")}),
        "texts-INITIAL_FORMS": "0",
    }
    client_a.post(admin_path(update, "change"), data)
    assert not UpdateText.objects.filter(subject="Changed").exists()
    assert client_a.post(admin_path(update, "send")).status_code == 400


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MODERATOR])
def test_viewers_and_moderators_read_but_do_not_send(client, org_a, petition, update, role):
    as_member(client, org_a, role)
    assert "The minister answered" in client.get("/admin/organiser/update/").content.decode()
    assert client.get(admin_path(update, "preview")).status_code == 200
    assert client.get(admin_path(update, "send")).status_code == 200
    for view in ["send", "pause", "resume"]:
        assert client.post(admin_path(update, view)).status_code == 403, view
    assert client.post("/admin/organiser/update/add/", update_form(petition)).status_code == 403
    assert status_of(update) == Update.Status.DRAFT
    assert Update.objects.count() == 1


def test_another_organisation_neither_sees_nor_sends(client, org_b, update):
    as_member(client, org_b, Role.EDITOR)
    for view in ["preview", "send"]:
        assert client.get(admin_path(update, view)).status_code == 404, view
    for view in ["send", "pause", "resume"]:
        assert client.post(admin_path(update, view)).status_code == 404, view
    assert client.get(admin_path(update, "change")).status_code == 302
    changelist = client.get("/admin/organiser/update/")
    assert changelist.status_code == 200
    assert "The minister" not in changelist.content.decode()
    # Nor can they write to A's signers.
    response = client.post("/admin/organiser/update/add/", update_form(update.petition))
    assert response.status_code == 200
    assert Update.objects.count() == 1
    assert status_of(update) == Update.Status.DRAFT
