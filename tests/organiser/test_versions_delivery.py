"""What was signed, as organisers change it and deliver it: a new target is a version like a
text edit, the changes page shows it, and the delivery document says which versions the names
were gathered on and how many signed each."""

import pytest
from django.test import Client

from firma.petitions.models import PetitionVersion, Signature
from tests.conftest import confirmation_path, petition_form_data, run_worker, sign, url

from .test_pdf import pdf_of, text_of

pytestmark = pytest.mark.django_db

GOVERNOR = {
    "targets-TOTAL_FORMS": "1",
    "targets-0-position": "0",
    "targets-0-name": "The Governor",
    "targets-0-role": "Governor",
    "targets-0-role_translations": '{"es": "Gobernadora"}',
    "targets-0-email": "governor@example.gov",
    "targets-0-country": "BR",
}


def sign_and_confirm(petition, mailbox, email: str, address: str) -> None:
    signer = Client()
    sign(signer, petition, email=email, REMOTE_ADDR=address)
    run_worker()
    signer.post(confirmation_path(mailbox.messages[-1]))


def test_a_new_target_is_a_version_and_the_document_counts_each(admin_client, petition, mailbox):
    sign_and_confirm(petition, mailbox, "first@example.org", "10.0.0.1")
    edit = admin_client.post(
        f"/admin/petitions/petition/{petition.pk}/change/",
        petition_form_data(petition, **GOVERNOR),
    )
    assert edit.status_code == 302, edit.content[:3000]
    sign_and_confirm(petition, mailbox, "second@example.org", "10.0.0.2")
    sign_and_confirm(petition, mailbox, "third@example.org", "10.0.0.3")

    first, second = PetitionVersion.objects.order_by("number")
    assert first.targets == []
    assert second.targets == [
        {
            "name": "The Governor",
            "role": "Governor",
            "roles": {"es": "Gobernadora"},
            "country": "BR",
        }
    ]
    assert "governor@example.gov" not in str(second.targets)  # the public never sees it
    assert Signature.objects.get(email="third@example.org").version == second

    changes = Client().get(url("petitions:changes", "es", slug=petition.slug)).text
    assert "<ins>+ The Governor, Gobernadora</ins>" in changes
    assert "governor@example.gov" not in changes

    text = " ".join(text_of(pdf_of(admin_client, petition)).split())
    assert "Version 1 of the text" in text and ": 1 signature" in text
    assert "Version 2 of the text" in text and ": 2 signatures" in text
    assert url("petitions:changes", slug=petition.slug) in text


def test_one_version_is_named_with_its_count(admin_client, petition, mailbox):
    sign_and_confirm(petition, mailbox, "first@example.org", "10.0.0.1")
    text = " ".join(text_of(pdf_of(admin_client, petition)).split())
    assert "Version 1 of the text" in text
    assert "Version 2" not in text
    assert "/changes/" not in text  # nothing changed: no differences to point at
