"""Delivering a petition, end to end: the file names the targets, an editor delivers, the target
receives the e-mail over SMTP, opens the signatures and answers through the private links."""

import io
import re
from pathlib import Path

import pytest
from django.core import signing
from django.core.management import call_command
from pypdf import PdfReader

from firma.core import events as events
from firma.organiser.audit.models import AuditEntry
from firma.petitions import counting
from firma.petitions.models import Delivery, DeliveryRecipient, Petition, Response, Signature
from firma.petitions.outreach.tokens import DOCUMENT_SALT, RESPOND_SALT
from firma.tenancy.models import Membership
from tests.conftest import run_worker
from tests.organiser.conftest import add, member

pytestmark = pytest.mark.django_db(transaction=True)

PETITION_FILE = """+++
slug = "safe-streets"
title = "Safe streets for everyone"
language = "en"
status = "open"
response_days = 30

[[targets]]
name = "Ana Pérez"
role = "Minister of Security"
email = "minister@security.example"
country = "AR"

[[targets]]
name = "City Council"
role = "Legislature"
+++
Light every street.
"""


@pytest.fixture
def delivered_events():
    received = []

    def receiver(sender, petition, delivery, **kwargs):
        received.append(delivery.pk)

    events.petition_delivered.connect(receiver)
    yield received
    events.petition_delivered.disconnect(receiver)


@pytest.fixture
def safe_streets(tmp_path: Path, org_a) -> Petition:
    path = tmp_path / "safe-streets.md"
    path.write_text(PETITION_FILE, encoding="utf-8")
    call_command("import_petition", path, stdout=io.StringIO())
    petition = Petition.objects.get(slug="safe-streets")
    petition.organisation = org_a
    petition.save()
    add(
        petition,
        "Alice Listed",
        "alice@example.org",
        public=True,
        country="PT",
        affiliation="Teachers' Union",
    )
    add(petition, "Bob Unlisted", "bob@example.org", public=False, country="AR")
    add(petition, "Carol Hidden", "carol@example.org", public=True, hidden=True, country="AR")
    add(petition, "Dan Pending", "dan@example.org", public=True, status=Signature.Status.PENDING)
    counting.reconcile()
    return petition


def page_url(petition: Petition, tail: str = "") -> str:
    return f"/admin/petitions/petition/{petition.pk}/delivery/{tail}"


def links(text: str) -> tuple[str, str]:
    document = re.findall(r"https?://[^/\s]+(/delivered/\S+/signatures\.pdf)", text)
    respond = re.findall(r"https?://[^/\s]+(/\w+/respond/\S+/)", text)
    assert len(document) == 1 and len(respond) == 1, text
    return document[0], respond[0]


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(page.extract_text() for page in reader.pages)


def deliver(client, petition: Petition, **data):
    target = petition.targets.get(name="Ana Pérez")
    form = {"email-targets": [target.pk], "email-message": "Please act now.", **data}
    return client.post(page_url(petition), form)


def test_an_editor_delivers_and_the_target_reads_and_answers(
    client_a, safe_streets, mailbox, delivered_events, org_a
):
    petition = safe_streets
    owner = member(org_a, Membership.Role.OWNER, "owner-a")
    page = client_a.get(page_url(petition))
    assert page.status_code == 200
    content = page.content.decode()
    assert "minister@security.example" in content
    council = petition.targets.get(name="City Council")
    assert f'name="email-targets" value="{council.pk}"' not in content  # it has no address

    preview = deliver(client_a, petition, preview="Preview")
    assert preview.status_code == 200
    shown = preview.content.decode()
    assert "Please act now." in shown and "Safe streets for everyone" in shown
    assert not Delivery.objects.exists()

    sent = deliver(client_a, petition, send="Send")
    assert sent.status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.method == Delivery.Method.EMAIL
    assert delivery.signature_count == 3  # Alice, Bob and Carol are confirmed
    assert delivery.counts_by_country == {"PT": 1, "AR": 2}
    assert delivered_events == [delivery.pk]
    assert AuditEntry.objects.filter(petition=petition, action="petition_delivered").exists()

    run_worker()
    run_worker()  # a second run sends nothing twice
    [message] = mailbox.to("minister@security.example")
    assert message["Reply-To"] == "petitions@localhost"
    assert "Safe streets for everyone" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Please act now." in text
    assert "Argentina: 2" in text and "Portugal: 1" in text
    assert message.get_body(("html",)) is not None
    assert DeliveryRecipient.objects.get().sent_at is not None
    document, respond = links(text)

    # The signatures: only what the target may see.
    signatures = pdf_text(client_a.get(document))
    assert "Alice Listed" in signatures and "Teachers' Union" in signatures
    assert "Bob Unlisted" not in signatures and "not listed" in signatures
    assert "Carol Hidden" not in signatures and "Dan Pending" not in signatures
    assert "@" not in signatures

    # The answer page: a GET changes nothing.
    client_a.logout()
    form = client_a.get(respond)
    assert form.status_code == 200
    assert '<label for="id_text">' in form.content.decode()
    assert not Response.objects.exists()
    too_long = client_a.post(respond, {"text": "x" * 20_001})
    assert too_long.status_code == 400
    assert "20001" in too_long.content.decode().replace(",", "").replace(" ", "")
    not_https = client_a.post(respond, {"text": "Fine.", "document_url": "http://example.org/a"})
    assert not_https.status_code == 400
    answered = client_a.post(
        respond, {"text": "We **will** act.", "document_url": "https://gov.example/letter.pdf"}
    )
    assert answered.status_code == 302
    thanks = client_a.get(answered["Location"])
    assert "will publish it" in thanks.content.decode()
    response = Response.objects.get()
    assert response.status == Response.Status.PENDING
    assert response.source == Response.Source.LINK
    assert (response.target.name, response.delivery_id) == ("Ana Pérez", delivery.pk)
    assert response.document_url == "https://gov.example/letter.pdf"

    # The organisers hear about it (editors and owners).
    run_worker()
    told = [message["To"] for message in mailbox.messages if "responded" in message["Subject"]]
    assert sorted(told) == sorted(["editor-a@example.org", owner.email])

    # The public page lists the delivery.
    public = client_a.get(f"/en/p/{petition.slug}/").content.decode()
    assert "Delivered to Ana Pérez with 3 signatures." in public


def test_unlisted_names_are_delivered_only_when_the_petition_says_so(client_a, safe_streets):
    petition = safe_streets
    Petition.objects.filter(pk=petition.pk).update(deliver_unlisted_names=True)
    assert deliver(client_a, petition, send="Send").status_code == 302
    recipient = DeliveryRecipient.objects.get()
    token = signing.dumps(recipient.pk, salt=DOCUMENT_SALT)
    signatures = pdf_text(client_a.get(f"/delivered/{token}/signatures.pdf"))
    assert "Bob Unlisted" in signatures
    assert "Carol Hidden" not in signatures


def test_forged_expired_and_swapped_links_get_a_clear_page(client, safe_streets, settings):
    petition = safe_streets
    delivery = Delivery.objects.create(petition=petition, method="email", signature_count=3)
    target = petition.targets.first()
    recipient = DeliveryRecipient.objects.create(delivery=delivery, target=target)
    respond = signing.dumps(recipient.pk, salt=RESPOND_SALT)
    document = signing.dumps(recipient.pk, salt=DOCUMENT_SALT)

    assert client.get(f"/en/respond/{respond}x/").status_code == 404
    assert client.get("/en/respond/nonsense/").status_code == 404
    assert client.get(f"/en/respond/{document}/").status_code == 404  # the other link's token
    assert client.get(f"/delivered/{respond}/signatures.pdf").status_code == 404
    assert client.post(f"/en/respond/{respond}x/", {"text": "Hi"}).status_code == 404
    forged = client.get("/delivered/forged/signatures.pdf")
    assert forged.status_code == 404 and b"not valid" in forged.content

    settings.DELIVERY_LINK_MAX_AGE = -1  # every link is older than that
    expired = client.get(f"/en/respond/{respond}/")
    assert expired.status_code == 410
    assert b"expired" in expired.content
    assert client.post(f"/en/respond/{respond}/", {"text": "Hi"}).status_code == 410
    assert client.get(f"/delivered/{document}/signatures.pdf").status_code == 410
    assert not Response.objects.exists()


def test_the_answer_page_speaks_the_targets_language(client, safe_streets):
    petition = safe_streets
    delivery = Delivery.objects.create(petition=petition, method="email", signature_count=3)
    recipient = DeliveryRecipient.objects.create(delivery=delivery, target=petition.targets.first())
    token = signing.dumps(recipient.pk, salt=RESPOND_SALT)
    page = client.get(f"/en/respond/{token}/?lang=es").content.decode()
    assert '<html lang="es"' in page
    assert "Responder a la petición" in page
    client.post(f"/en/respond/{token}/?lang=es", {"text": "Actuaremos."})
    assert Response.objects.get().language == "es"


@pytest.mark.parametrize("role", [Membership.Role.VIEWER, Membership.Role.MODERATOR])
def test_below_editor_nobody_delivers(client, org_a, safe_streets, role):
    client.force_login(member(org_a, role, f"{role}-member"))
    assert client.get(page_url(safe_streets)).status_code == 200  # they see
    assert deliver(client, safe_streets, send="Send").status_code == 403
    record = {
        "offline-targets": [safe_streets.targets.first().pk],
        "offline-delivered_on": "2026-01-02",
        "offline-signature_count": "10",
    }
    assert client.post(page_url(safe_streets, "record/"), record).status_code == 403
    assert not Delivery.objects.exists()


def test_another_organisation_does_not_see_the_page(client, org_b, safe_streets):
    client.force_login(member(org_b, Membership.Role.OWNER, "owner-b"))
    assert client.get(page_url(safe_streets)).status_code == 404


def test_a_delivery_made_elsewhere_is_recorded(client_a, safe_streets, mailbox, delivered_events):
    petition = safe_streets
    council = petition.targets.get(name="City Council")
    data = {
        "offline-targets": [council.pk],
        "offline-delivered_on": "2026-01-02",
        "offline-signature_count": "1200",
        "offline-note": "Handed over at the front desk.",
    }
    response = client_a.post(page_url(petition, "record/"), data)
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.method == Delivery.Method.OFFLINE
    assert (delivery.signature_count, delivery.note) == (1200, "Handed over at the front desk.")
    assert list(delivery.targets.all()) == [council]
    assert delivered_events == [delivery.pk]
    assert AuditEntry.objects.filter(petition=petition, action="delivery_recorded").exists()
    run_worker()
    assert mailbox.messages == []  # nothing is e-mailed
    public = client_a.get(f"/en/p/{petition.slug}/").content.decode()
    assert "Delivered to City Council with 1,200 signatures." in public
    future = {**data, "offline-delivered_on": "2999-01-01"}
    assert client_a.post(page_url(petition, "record/"), future).status_code == 400
