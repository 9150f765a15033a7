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
