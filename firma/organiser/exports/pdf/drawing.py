"""The pages of a delivery PDF: the cover's frames and the list of signers drawn straight onto
the canvas, in the bundled font, right-to-left names in visual order."""

import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import arabic_reshaper
from bidi import get_display
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_countries import countries
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame

from firma.organiser.exports.services import NOT_LISTED

FONTS = Path(__file__).resolve().parent.parent / "fonts"
REGULAR, BOLD = "FirmaSans", "FirmaSans-Bold"

WIDTH, HEIGHT = A4
MARGIN = 36
SIZE = 8.5
LEADING = 12.6
HEADER = 34  # the running title, the column headings and their rule
FOOTER = 18
# (x offset from the margin, width) of: number, name, organisation / position, country, date.
NUMBER, NAME, ORGANISATION, COUNTRY, DATE = (0, 30), (36, 160), (202, 170), (378, 90), (474, 49)
ELLIPSIS = "…"


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, FONTS / "DejaVuSansCondensed.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, FONTS / "DejaVuSansCondensed-Bold.ttf"))


def visual(text: str) -> str:
    """`text` in the order its glyphs are drawn: right-to-left runs reversed, Arabic joined."""
    if not any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
        return text
    return get_display(arabic_reshaper.reshape(text))


def fit(text: str, width: float, font: str = REGULAR, size: float = SIZE) -> str:
    """`text` on one line, in visual order, cut with an ellipsis to `width` points (at its
    logical end: the left for right-to-left text)."""
    logical = " ".join(text.split())
    text = visual(logical)
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    rtl = text != logical and unicodedata.bidirectional(logical[0]) in ("R", "AL")
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        kept = text[len(text) - middle :] if rtl else text[:middle]
        if pdfmetrics.stringWidth(kept + ELLIPSIS, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    if rtl:
        return ELLIPSIS + text[len(text) - low :].lstrip()
    return text[:low].rstrip() + ELLIPSIS


class DeliveryList:
    """Draws the cover and the pages of signers onto a canvas."""

    def __init__(
        self, canvas: Canvas, title: str, internal: bool, unlisted_names: bool = False
    ) -> None:
        self.canvas = canvas
        self.title = title
        self.internal = internal
        # A petition may deliver the names of signers not listed publicly (never hidden ones).
        self.unlisted_names = unlisted_names
        self.page = 0
        self.text = None
        self.y = 0.0
        self.number = 0

    def cover(self, story: list) -> None:
        """The cover flowables, over as many pages as the petition's text needs."""
        while story:
            self.page += 1
            frame = Frame(MARGIN, MARGIN + FOOTER, WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN - FOOTER)
            before = len(story)
            frame.addFromList(story, self.canvas)
            if len(story) == before:
                story.pop(0)  # too large for any page: leave it out rather than loop
            self.footer()
            self.canvas.showPage()

    def footer(self) -> None:
        self.canvas.setFont(REGULAR, 7.5)
        line = f"{fit(self.title, 380, REGULAR, 7.5)} · " + _("page %(number)d") % {
            "number": self.page
        }
        self.canvas.drawCentredString(WIDTH / 2, MARGIN, line)

    def new_page(self) -> None:
        if self.text is not None:
            self.finish_page()
        self.page += 1
        canvas = self.canvas
        top = HEIGHT - MARGIN
        canvas.setFont(BOLD, 9)
        canvas.drawString(MARGIN, top - 9, fit(self.title, WIDTH - 2 * MARGIN, BOLD, 9))
        canvas.setFont(BOLD, SIZE)
        headings = top - 26
        canvas.drawRightString(MARGIN + NUMBER[0] + NUMBER[1], headings, "#")
        for (x, width), label in [
            (NAME, _("Name")),
            (ORGANISATION, _("Organisation / position")),
            (COUNTRY, _("Country")),
            (DATE, _("Date")),
        ]:
            canvas.drawString(MARGIN + x, headings, fit(label, width, BOLD))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, headings - 3, WIDTH - MARGIN, headings - 3)
        self.text = canvas.beginText()
        self.y = top - HEADER - LEADING

    def finish_page(self) -> None:
        self.canvas.drawText(self.text)
        self.footer()
        self.canvas.showPage()
        self.text = None

    def room(self, rows: int) -> bool:
        return self.text is not None and self.y - (rows - 1) * LEADING >= MARGIN + FOOTER

    def heading(self, label: str) -> None:
        """A country's heading, never alone at the foot of a page."""
        if not self.room(3):
            self.new_page()
        self.text.setFont(BOLD, 10)
        self.text.setTextOrigin(MARGIN, self.y - 2)
        self.text.textOut(fit(label, WIDTH - 2 * MARGIN, BOLD, 10))
        self.y -= LEADING * 1.5

    def row(self, name: str, organisation: str, country: str, day: str) -> None:
        if not self.room(1):
            self.new_page()
        self.number += 1
        text = self.text
        text.setFont(REGULAR, SIZE)
        number = str(self.number)
        x = MARGIN + NUMBER[0] + NUMBER[1] - pdfmetrics.stringWidth(number, REGULAR, SIZE)
        text.setTextOrigin(x, self.y)
        text.textOut(number)
        for (offset, width), value in [
            (NAME, name),
            (ORGANISATION, organisation),
            (COUNTRY, country),
            (DATE, day),
        ]:
            if value:
                text.setTextOrigin(MARGIN + offset, self.y)
                text.textOut(fit(value, width))
        self.y -= LEADING

    def endorsements(self, rows: Iterator[tuple]) -> None:
        """The organisations, by their public name and website: never the person who signed."""
        for name, website, country, signed in rows:
            day = formats.date_format(timezone.localtime(signed).date(), "SHORT_DATE_FORMAT")
            host = urlsplit(website).hostname or ""
            self.row(name, host, countries.name(country) if country else "", day)

    def signers(self, rows: Iterator[tuple]) -> None:
        not_listed = str(NOT_LISTED)
        for name, organisation, country, signed, public, hidden in rows:
            if not (self.internal or ((public or self.unlisted_names) and not hidden)):
                name, organisation = not_listed, ""
            day = formats.date_format(timezone.localtime(signed).date(), "SHORT_DATE_FORMAT")
            self.row(name, organisation, countries.name(country) if country else "", day)
