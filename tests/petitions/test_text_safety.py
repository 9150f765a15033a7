"""Text that cannot lie: no bidirectional controls or zero-width spaces in what signers submit
(the joiners scripts need stay), a private confirmation page, a canonical link from BASE_URL."""

import re

import pytest
from django.utils import timezone

from firma.organiser.paper.rows import check
from firma.petitions.models import Signature
from firma.petitions.rules.signer import tidy
from firma.petitions.tokens import confirmation_token
from tests.conftest import sign, url

pytestmark = pytest.mark.django_db

RLO, PDF, LRI, PDI, ZWSP = "\u202e", "\u202c", "\u2066", "\u2069", "\u200b"
ZWNJ, ZWJ = "\u200c", "\u200d"
PERSIAN = f"می{ZWNJ}خواهم"  # needs the non-joiner to be spelt right
DEVANAGARI = f"क्{ZWJ}ष"  # a conjunct written with the joiner


@pytest.mark.parametrize(
    "control", [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), ZWSP]
)
def test_each_control_goes(control):
    assert tidy(f"An{control}a") == "Ana"


def test_the_joiners_stay():
    assert tidy(PERSIAN) == PERSIAN
    assert tidy(DEVANAGARI) == DEVANAGARI


def test_a_signature_keeps_no_bidirectional_trick(client, petition):
    response = sign(
        client,
        petition,
        full_name=f"{RLO}anA{PDF} {PERSIAN}",
        organization=f"{LRI}Union{PDI}{ZWSP}",
        comment=f"Yes{ZWSP}!\n{RLO}gnp.exe{PDF} {DEVANAGARI}",
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.full_name == f"anA {PERSIAN}"
    assert signature.affiliation == "Union"
    assert signature.comment == f"Yes!\ngnp.exe {DEVANAGARI}"


def test_paper_imports_are_cleaned_the_same_way():
    fields, problems = check(
        {"name": f"{RLO}Ana{PDF}", "organisation": f"U{ZWSP}nion", "comment": f"{LRI}ok{PDI}"},
        timezone.localdate(),
    )
    assert problems == []
    assert (fields["full_name"], fields["affiliation"], fields["comment"]) == (
        "Ana",
        "Union",
        "ok",
    )


def test_the_confirmation_page_is_private_and_sends_no_referrer(client, petition):
    sign(client, petition)
    signature = Signature.objects.get()
    path = url("petitions:confirm", slug=petition.slug, token=confirmation_token(signature))
    for response in (client.get(path), client.post(path)):
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
    expired = client.get(url("petitions:confirm", slug=petition.slug, token="x:y:z"))
    assert "no-store" in expired.get("Cache-Control", "no-store")


def test_the_canonical_link_ignores_the_host_header(client, petition, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.BASE_URL = "https://petitions.example.org"
    page = client.get(url("petitions:detail", slug=petition.slug), HTTP_HOST="evil.example").text
    [canonical] = re.findall(r'<link rel="canonical" href="([^"]+)"', page)
    assert canonical == "https://petitions.example.org" + url(
        "petitions:detail", slug=petition.slug
    )
