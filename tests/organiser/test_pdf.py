"""The delivery PDF: a cover, then many signers to a page, with text a reader can search."""

import io
import math

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from firma.petitions import counting
from firma.petitions.models import Petition
from firma.tenancy.models import Membership

from .conftest import add, as_member

pytestmark = pytest.mark.django_db


def pdf_of(client, petition: Petition, **choices) -> PdfReader:
    response = client.post(
        f"/admin/petitions/petition/{petition.pk}/export/", {"format": "pdf", **choices}
    )
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    return PdfReader(io.BytesIO(b"".join(response.streaming_content)))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_list_holds_at_least_forty_signers_a_page(admin_client, petition):
    call_command("generate_signatures", petition.slug, "2000", stdout=io.StringIO())
    reader = pdf_of(admin_client, petition)
    cover = 1
    assert len(reader.pages) <= cover + math.ceil(2000 / 40), len(reader.pages)
    last = reader.pages[-1].extract_text()
    assert "2000" in last  # the running number of the last signer


def test_grouped_by_country_with_headings(admin_client, petition):
    call_command("generate_signatures", petition.slug, "600", stdout=io.StringIO())
    reader = pdf_of(admin_client, petition, group_by_country="on")
    text = text_of(reader)
    argentina = text.index("Argentina (")
    spain = text.index("Spain (")
    assert argentina < spain
    # Headings take some room, but the list stays compact.
    assert len(reader.pages) <= 1 + math.ceil(600 / 40)


def test_the_cover_has_the_petition_the_count_and_the_date(admin_client, petition):
    petition.texts.filter(language="en").update(
        body="# Why\n\nEvery child needs **clean water**.\n\n- one school\n- two schools"
    )
    add(petition, "Ana Souza", "ana@example.org", public=True, country="BR")
    add(petition, "Олег Петров", "oleg@example.org", public=True, country="UA")
    add(petition, "Μαρία Παπαδοπούλου", "maria@example.org", public=True, country="GR")
    counting.reconcile()
    reader = pdf_of(admin_client, petition)
    cover = reader.pages[0].extract_text()
    assert "Clean water for every school" in cover
    assert "Every child needs clean water." in cover
    assert "two schools" in cover
    assert "3 signatures" in cover
    assert "**" not in cover
    listing = text_of(reader)
    for name in ["Ana Souza", "Олег Петров", "Μαρία Παπαδοπούλου", "Ukraine", "Greece"]:
        assert name in listing


def test_the_cover_in_another_language(admin_client, petition):
    add(petition, "Ana Souza", "ana@example.org", public=True)
    reader = pdf_of(admin_client, petition, language="es")
    assert "Agua limpia para cada escuela" in reader.pages[0].extract_text()


def test_unlisted_signers_print_as_not_listed_unless_internal(admin_client, petition):
    add(petition, "Listed Lia", "lia@example.org", public=True, affiliation="Teacher")
    add(petition, "Private Pia", "pia@example.org", affiliation="Secret employer")
    public = text_of(pdf_of(admin_client, petition))
    assert "Listed Lia" in public
    assert "Teacher" in public
    assert "Private Pia" not in public
    assert "Secret employer" not in public
    assert "not listed" in public
    internal = text_of(pdf_of(admin_client, petition, internal="on"))
    assert "Private Pia" in internal
    assert "Secret employer" in internal


def test_a_viewer_gets_the_public_pdf(client, petition_a, org_a):
    add(petition_a, "Private Pia", "pia@example.org")
    viewer = as_member(client, org_a, Membership.Role.VIEWER)
    text = text_of(pdf_of(viewer, petition_a, internal="on"))
    assert "Private Pia" not in text
    assert "not listed" in text


def test_hebrew_and_arabic_names_are_drawn_in_reading_order_and_joined(admin_client, petition):
    add(petition, "יעל כהן", "yael@example.org", public=True)
    add(petition, "فاطمة", "fatima@example.org", public=True)
    text = text_of(pdf_of(admin_client, petition))
    # The text extractor reads drawn right-to-left runs back into reading order: names drawn in
    # typed order would come out reversed. Arabic comes out in its joined (presentation) forms.
    assert "יעל כהן" in text
    assert "ﻓﺎﻃﻤﺔ" in text
