"""Donation details: their stored form, and the EPC QR code ("GiroCode") for SEPA transfers."""

import base64
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

import segno

from firma.petitions.rules.donations import compact_code

if TYPE_CHECKING:
    from firma.petitions.models import Petition

# EPC069-12, version 002: the beneficiary's name has at most 70 characters and the whole payload
# at most 331 bytes; the QR code uses error correction level M and at most version 13.
EPC_NAME_LENGTH = 70
EPC_MAX_BYTES = 331


def epc_payload(
    name: str, iban: str, bic: str = "", amount: Decimal | None = None, text: str = ""
) -> str:
    """The text of an EPC QR code for a SEPA credit transfer in euros, in UTF-8 (character set 1).

    The amount is optional: without it, the donor types it in their banking app. `text` is the
    unstructured remittance information (our reference); the structured one stays empty.
    """
    amount_line = f"EUR{amount:.2f}".rstrip("0").rstrip(".") if amount else ""
    lines = ["BCD", "002", "1", "SCT", bic, name, iban, amount_line, "", "", text]
    # Nothing may follow the last element given.
    while not lines[-1]:
        lines.pop()
    return "\n".join(lines)


@dataclass(frozen=True)
class GiroCode:
    payload: str
    src: str  # a data: URI of the SVG image, which the CSP's img-src allows
    size: int  # its width and height in CSS pixels


@lru_cache(maxsize=128)
def render_giro_code(name: str, iban: str, bic: str, text: str) -> GiroCode | None:
    """The QR code, drawn once per process for each set of details."""
    payload = epc_payload(name, iban, bic, text=text)
    data = payload.encode("utf-8")
    if len(data) > EPC_MAX_BYTES:
        return None
    # What segno.helpers.make_epc_qr does, which cannot leave the amount out.
    qr = segno.make_qr(data, error="m", boost_error=False)
    if qr.version > 13:
        return None
    svg = io.BytesIO()
    # Dark on white whatever the page's colours: scanners need the contrast and the margin.
    qr.save(svg, kind="svg", scale=4, border=4, dark="#000", light="#fff", xmldecl=False, nl=False)
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode("ascii")
    return GiroCode(payload=payload, src=src, size=qr.symbol_size(scale=4, border=4)[0])


def giro_code(petition: "Petition") -> GiroCode | None:
    """The QR code of the petition's account: for transfers in euros to an account in SEPA."""
    if not petition.donation_in_sepa:
        return None
    # A line break would shift every later element of the payload.
    name = " ".join(petition.donation_holder.split())
    if not name or len(name) > EPC_NAME_LENGTH:
        return None
    return render_giro_code(
        name,
        compact_code(petition.donation_iban),
        compact_code(petition.donation_bic),
        " ".join(petition.donation_reference.split()),
    )
