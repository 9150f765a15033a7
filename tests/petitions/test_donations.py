"""Donations: the bank details, their import and admin, the block on the pages, the EPC QR code."""

import base64
import re
from decimal import Decimal
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
import zxingcpp
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from PIL import Image, ImageDraw
from segno.helpers import _make_epc_qr_data

from firma.petitions.donations import epc_payload
from firma.petitions.models import Petition, PetitionText
from tests.conftest import make_petition, petition_form_data, url

pytestmark = pytest.mark.django_db

CBU = "2850590940090418135201"  # python-stdnum's example of a valid CBU
BAD_CBU = "2850590940090418135202"  # the same with a wrong last check digit
SEPA_IBAN = "DE89370400440532013000"
TURKISH_IBAN = "TR330006100519786457841326"  # valid, outside SEPA

FILE = """+++
slug = "clean-water"
title = "Clean water for every school"
language = "en"
status = "open"

[donation]
holder = "Friends of Water"
iban = "DE89 3704 0044 0532 0130 00"
bic = "COBADEFFXXX"
reference = "Water"
cbu = "28505909 40090418135201"
alias = "agua.limpia"
amounts = [50, 10, 25.5, 10]
currency = "eur"
note = "Every euro buys <filters>."
+++
Every child needs **clean water**.
"""

SPANISH = """+++
slug = "clean-water"
title = "Agua limpia para cada escuela"
language = "es"

[donation]
note = "Cada euro compra filtros."
+++
Cada niño necesita **agua limpia**.
"""


def import_file(tmp_path: Path, content: str, name: str = "water.md") -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    call_command("import_petition", path, stdout=StringIO())


def donation_block(html: str) -> str:
    start = html.index('<section class="donation"')
    return html[start : html.index("</section>", start)]


def visible_text(html: str) -> str:
    """The text a reader sees, tags and scripts left out: what works without JavaScript."""
    html = re.sub(r"<script\b.*?</script>|</?span\b[^>]*>", "", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# Import


def test_import_stores_the_new_keys_normalised_and_the_note_per_language(tmp_path, client):
    import_file(tmp_path, FILE)
    import_file(tmp_path, SPANISH, "water.es.md")
    petition = Petition.objects.get()
    assert petition.donation_cbu == CBU
    assert petition.donation_alias == "agua.limpia"
    assert petition.donation_amounts == "10, 25.50, 50"
    assert petition.donation_currency == "EUR"
    notes = dict(petition.texts.values_list("language", "donation_note"))
    assert notes == {"en": "Every euro buys <filters>.", "es": "Cada euro compra filtros."}

    spanish = visible_text(client.get(url("petitions:detail", "es", slug=petition.slug)).text)
    assert "Cada euro compra filtros." in spanish
    assert "Every euro buys" not in spanish
    assert "10 €, 25,50 €, 50 €" in spanish


def test_a_file_without_the_note_keeps_it(tmp_path):
    import_file(tmp_path, FILE)
    import_file(tmp_path, FILE.replace('note = "Every euro buys <filters>."\n', ""))
    assert PetitionText.objects.get().donation_note == "Every euro buys <filters>."


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        (CBU[:8] + " " + CBU[8:], BAD_CBU, "donation.cbu", "checksum or check digit is invalid"),
        (CBU[:8] + " " + CBU[8:], "12345", "donation.cbu", "invalid length"),
        ("agua.limpia", "agua", "donation.alias", "6 to 20 characters, not 4"),
        ("agua.limpia", "agua limpia!", "donation.alias", "only letters, digits"),
        ("[50, 10, 25.5, 10]", "[10, -5]", "donation.amounts", "-5: amounts must be positive"),
        ("[50, 10, 25.5, 10]", "[10, 2.555]", "donation.amounts", "at most two decimals"),
        ("[50, 10, 25.5, 10]", '"10, 25"', "donation.amounts", "array of numbers"),
        ("[50, 10, 25.5, 10]", "[10, true]", "donation.amounts", "array of numbers"),
        ('"eur"', '"XYZ"', "donation.currency", "Unknown currency “XYZ”"),
        ('"Every euro', '"' + "x" * 1001 + '"  # ', "donation.note", "at most 1000"),
    ],
)
def test_a_bad_value_names_the_file_the_key_and_the_reason(tmp_path, old, new, key, reason):
    assert old in FILE
    with pytest.raises(CommandError) as error:
        import_file(tmp_path, FILE.replace(old, new, 1))
    message = str(error.value)
    assert str(tmp_path / "water.md") in message
    assert f"key '{key}'" in message
    assert reason in message
    assert Petition.objects.count() == 0


# Admin


def test_the_admin_shows_the_new_fields(admin_client):
    petition = make_petition()
    page = admin_client.get(f"/admin/petitions/petition/{petition.pk}/change/").text
    for name in ["donation_cbu", "donation_alias", "donation_amounts", "donation_currency"]:
        assert f'name="{name}"' in page
    assert 'name="texts-0-donation_note"' in page


def test_the_admin_saves_the_details_normalised(admin_client):
    petition = make_petition()
    response = admin_client.post(
        f"/admin/petitions/petition/{petition.pk}/change/",
        petition_form_data(
            petition,
            donation_iban="de89 3704 0044 0532 0130 00",
            donation_cbu=CBU[:8] + " " + CBU[8:],
            donation_alias=" agua.limpia ",
            donation_amounts="50; 10, 25.5",
            donation_currency="usd",
            **{"texts-0-donation_note": "Thank you!"},
        ),
    )
    assert response.status_code == 302, response.text
    petition.refresh_from_db()
    assert petition.donation_iban == SEPA_IBAN
    assert petition.donation_cbu == CBU
    assert petition.donation_alias == "agua.limpia"
    assert petition.donation_amounts == "10, 25.50, 50"
    assert petition.donation_currency == "USD"
    assert petition.texts.get().donation_note == "Thank you!"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("donation_cbu", BAD_CBU, "Invalid CBU/CVU: The number&#x27;s checksum or check digit"),
        ("donation_iban", "DE88 3704 0044 0532 0130 00", "Invalid IBAN: Invalid checksum digits"),
        ("donation_alias", "a/b/c/d/e", "Invalid alias: only letters, digits"),
        ("donation_amounts", "10, 0", "Invalid amount 0: amounts must be positive."),
        ("donation_currency", "ZZZ", "Unknown currency “ZZZ”"),
    ],
)
def test_the_admin_refuses_invalid_details_with_the_reason(admin_client, field, value, reason):
    petition = make_petition()
    response = admin_client.post(
        f"/admin/petitions/petition/{petition.pk}/change/",
        petition_form_data(petition, **{field: value}),
    )
    assert response.status_code == 200
    assert reason in response.text
    petition.refresh_from_db()
    assert getattr(petition, field) in ("", "EUR")


# The block on the pages


def donating_petition(**fields) -> Petition:
    fields = {
        "donation_holder": "Friends of Water",
        "donation_iban": SEPA_IBAN,
        "donation_bic": "COBADEFFXXX",
        "donation_reference": "Water",
        "donation_cbu": CBU,
        "donation_alias": "agua.limpia",
        "donation_amounts": "10, 25.50",
        **fields,
    }
    petition = make_petition(**fields)
    petition.texts.update(donation_note="Every <b>euro</b>\ncounts.")
    return petition


@pytest.mark.parametrize("page", ["petitions:detail", "petitions:thanks", "petitions:confirmed"])
def test_the_details_are_on_the_page_as_text_needing_no_javascript(client, page):
    petition = donating_petition()
    html = donation_block(client.get(url(page, slug=petition.slug)).text)
    text = visible_text(html)
    for detail in [
        "Friends of Water",
        "DE89 3704 0044 0532 0130 00",
        "COBADEFFXXX",
        "Water",
        "From Argentina",
        f"CBU / CVU {CBU}",
        "Alias agua.limpia",
        "Suggested amounts: €10, €25.50",
        "Every <b>euro</b> counts.",  # the note is plain text, shown as written
    ]:
        assert detail in text, detail
    assert "<b>euro</b>" not in html
    assert 'data-copy="DE89370400440532013000"' in html  # the copy button copies no spaces
    # The copy buttons come from our own module script only: nothing inline, nothing needed.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == ['<script type="module" src="/static/firma/copy.js">']
    assert not re.search(r"\s(on\w+|style)=", html)


def test_the_copy_script_is_ours_and_adds_its_buttons_to_the_details():
    script = Path(finders.find("firma/copy.js")).read_text(encoding="utf-8")
    assert "[data-copy]" in script
    assert "navigator.clipboard" in script
    assert "import" not in script  # vendors nothing


def test_without_details_there_is_no_block(client):
    petition = make_petition()
    assert 'id="donate"' not in client.get(petition.get_absolute_url()).text


def test_an_argentine_account_alone_shows_the_block_without_iban(client):
    petition = make_petition(donation_alias="agua.limpia")
    text = visible_text(donation_block(client.get(petition.get_absolute_url()).text))
    assert "From Argentina" in text
    assert "agua.limpia" in text
    assert "IBAN" not in text


# The EPC QR code


def rasterise(svg: str) -> Image.Image:
    """segno's SVG drawn on a bitmap: its dark modules are horizontal strokes, one unit wide."""
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    scale = int(re.search(r"scale\((\d+)\)", svg).group(1))
    path = re.search(r'<path[^>]*stroke="#000"[^>]*d="([^"]+)"', svg).group(1)
    commands = re.findall(r"([MmHh])(-?[\d.]+)(?: (-?[\d.]+))?", path)
    assert "".join(c + a + (" " + b if b else "") for c, a, b in commands) == path
    image = Image.new("L", (width, width), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, a, b in commands:
        if command in "Mm":
            x, y = (float(a), float(b)) if command == "M" else (x + float(a), y + float(b))
        else:
            end = float(a) if command == "H" else x + float(a)
            top = (y - 0.5) * scale
            draw.rectangle([x * scale, top, end * scale - 1, top + scale - 1], fill=0)
            x = end
    return image


def scanned_qr(html: str) -> bytes:
    """The payload a banking app reads from the page's QR code."""
    src = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
    image = rasterise(base64.b64decode(src).decode("utf-8"))
    [barcode] = zxingcpp.read_barcodes(image)
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    return barcode.bytes


def epc(bic: str, name: str, iban: str, amount: str = "", text: str = "") -> str:
    """EPC069-12 version 002 in UTF-8, element by element, trailing empty elements left out."""
    elements = ["BCD", "002", "1", "SCT", bic, name, iban, amount, "", "", text]
    while not elements[-1]:
        elements.pop()
    return "\n".join(elements)


def test_the_qr_code_carries_the_sepa_transfer_and_follows_changes(client):
    petition = donating_petition(donation_holder="Amigos del Agua Łódź")
    html = client.get(petition.get_absolute_url()).text
    assert 'alt="QR code of a SEPA transfer' in html
    assert "From outside the SEPA area" in visible_text(html)
    expected = epc("COBADEFFXXX", "Amigos del Agua Łódź", SEPA_IBAN, text="Water")
    assert scanned_qr(html).decode("utf-8") == expected

    # The rendering is cached by the details: a new reference is a new code.
    Petition.objects.filter(pk=petition.pk).update(donation_reference="Schools", donation_bic="")
    html = client.get(url("petitions:thanks", slug=petition.slug)).text
    assert scanned_qr(html).decode("utf-8") == epc(
        "", "Amigos del Agua Łódź", SEPA_IBAN, "", "Schools"
    )


def test_the_payload_with_an_amount_is_the_one_segno_makes():
    ours = epc_payload("Friends of Water", SEPA_IBAN, "COBADEFFXXX", Decimal("25.50"), "Water")
    assert ours == epc("COBADEFFXXX", "Friends of Water", SEPA_IBAN, "EUR25.5", "Water")
    segnos = _make_epc_qr_data(
        "Friends of Water",
        SEPA_IBAN,
        Decimal("25.50"),
        text="Water",
        bic="COBADEFFXXX",
        encoding="utf-8",
    )
    assert ours.encode("utf-8") == segnos


@pytest.mark.parametrize(
    "fields",
    [
        {"donation_iban": TURKISH_IBAN, "donation_bic": "TCZBTR2AXXX"},  # outside SEPA
        {"donation_currency": "USD"},  # in SEPA, but not euros
    ],
)
def test_without_a_sepa_account_in_euros_no_qr_code_but_swift_instructions(client, fields):
    petition = donating_petition(**fields)
    html = donation_block(client.get(petition.get_absolute_url()).text)
    assert "<img" not in html
    text = visible_text(html)
    assert "Ask your bank for an international (SWIFT) transfer" in text
    assert "From outside the SEPA area" not in text
    iban = Petition.objects.get().formatted_iban
    for detail in ["Friends of Water", iban, fields.get("donation_bic", "COBADEFFXXX"), "Water"]:
        assert detail in text


def test_no_qr_code_without_an_account_holder(client):
    petition = donating_petition(donation_holder="")
    html = donation_block(client.get(petition.get_absolute_url()).text)
    assert "<img" not in html
    assert "From outside the SEPA area" in visible_text(html)


# Reasons given for refused details, the IBAN's grouping, and the block inside the embed


def test_the_import_refuses_an_invalid_iban_naming_the_reason(tmp_path):
    with pytest.raises(CommandError) as error:
        import_file(tmp_path, FILE.replace("DE89 3704", "DE88 3704", 1))
    message = str(error.value)
    assert str(tmp_path / "water.md") in message
    assert "key 'donation.iban'" in message
    assert "Invalid IBAN: Invalid checksum digits" in message
    assert Petition.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "reason"),
    [("NOPE", "Invalid BIC: Invalid length &#x27;4&#x27;"), ("COBAXXFFXXX", "Invalid country")],
)
def test_the_admin_refuses_an_invalid_bic_with_the_reason(admin_client, value, reason):
    petition = make_petition()
    response = admin_client.post(
        f"/admin/petitions/petition/{petition.pk}/change/",
        petition_form_data(petition, donation_iban=SEPA_IBAN, donation_bic=value),
    )
    assert response.status_code == 200
    assert reason in response.text
    petition.refresh_from_db()
    assert petition.donation_bic == ""


def test_an_iban_outside_sepa_is_also_shown_in_groups_of_four(client):
    petition = donating_petition(donation_iban=TURKISH_IBAN, donation_bic="TCZBTR2AXXX")
    text = visible_text(donation_block(client.get(petition.get_absolute_url()).text))
    assert "IBAN TR33 0006 1005 1978 6457 8413 26" in text


def test_the_embedded_thank_you_shows_the_details_and_the_qr_code(client):
    petition = donating_petition(allow_embedding=True)
    html = client.get(url("petitions:embed_thanks", slug=petition.slug)).text
    assert "DE89 3704 0044 0532 0130 00" in visible_text(donation_block(html))
    expected = epc("COBADEFFXXX", "Friends of Water", SEPA_IBAN, text="Water")
    assert scanned_qr(html).decode("utf-8") == expected
