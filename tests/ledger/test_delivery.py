"""The signatures document handed to a target prints the ledger's head, and the selector the
delivery e-mail uses gives it."""

import pytest

from firma.ledger.selectors import latest_head
from tests.ledger.conftest import confirm, publish
from tests.organiser.test_pdf import pdf_of

pytestmark = pytest.mark.django_db


def test_the_pdf_cover_prints_the_latest_head(admin_client, petition):
    confirm(petition, range(3))
    publish()
    head = latest_head(petition)
    assert (head["size"], head["count"]) == (3, 3)
    cover = pdf_of(admin_client, petition).pages[0].extract_text().replace("\n", " ")
    assert "Public ledger: 3 entries, 3 signatures standing" in cover
    assert head["root"][:32] in cover.replace(" ", "")


def test_no_head_no_ledger_lines(admin_client, petition):
    assert latest_head(petition) is None
    cover = pdf_of(admin_client, petition).pages[0].extract_text()
    assert "Public ledger" not in cover


def test_the_delivery_e_mail_prints_the_head_a_target_can_check_later(petition, mailbox):
    from firma.organiser.delivery import services as delivery
    from firma.petitions.models import Target
    from tests.conftest import run_worker

    confirm(petition, range(4))
    publish()
    head = latest_head(petition)
    minister = Target.objects.create(
        petition=petition, name="Ana Ministra", role="Minister", email="minister@example.org"
    )

    made = delivery.deliver(petition, [minister], "Please act.", None)
    run_worker()

    assert made.ledger_head == head
    [message] = mailbox.to("minister@example.org")
    for part in (message.get_body(("plain",)), message.get_body(("html",))):
        text = part.get_content()
        assert head["root"] in text
        assert "4 standing signatures in 4 entries" in text
        assert "/api/v1/petitions/clean-water/ledger/head" in text
