"""The PDF handed over with a petition: a cover with the petition's text, the count and the date,
then the signers in a compact list, about 55 to a page, grouped by country if asked.

The list is drawn straight onto the canvas, one text object per page, from rows read in chunks:
no flowable per signer, so memory grows only with the finished pages' compact content streams
(a few hundred bytes per signer) until the file is written to a temporary file and streamed.

The bundled font is DejaVu Sans Condensed (fonts/, with its licence). It covers the Latin
alphabets (Vietnamese included), Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic letters,
and IPA; it has no Chinese, Japanese, Korean or Indic glyphs, which print as empty boxes (the CSV
and Excel exports keep every name as typed). Hebrew and Arabic names are put in visual order
(python-bidi) and Arabic letters joined (arabic-reshaper) before they are drawn, since a PDF
draws glyphs left to right as it is given them.
"""

import re
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import arabic_reshaper
import markdown
import nh3
from bidi import get_display
from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph, Spacer

from firma.ledger.selectors import latest_head
from firma.organiser.exports.services import CHUNK, NOT_LISTED, export_name
from firma.petitions.models import Petition

FONTS = Path(__file__).resolve().parent / "fonts"
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
ROW_FIELDS = ["full_name", "affiliation", "country", "created_at", "public", "hidden"]
ENDORSEMENT_FIELDS = ["organisation_name", "organisation_website", "country", "confirmed_at"]


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


def paragraphs(body: str) -> list[tuple[str, str]]:
    """The petition's Markdown as (kind, inline markup) blocks that a Paragraph can draw."""
    html = markdown.markdown(body)
    blocks = []
    for tag, inner in re.findall(r"<(h[1-6]|p|li)>(.*?)</\1>", html, flags=re.S):
        text = nh3.clean(inner, tags={"strong", "em", "b", "i", "br"}, attributes={})
        text = re.sub(r"<(/?)strong>", r"<\1b>", text)
        text = re.sub(r"<(/?)em>", r"<\1i>", text).replace("<br>", "<br/>")
        if text.strip():
            blocks.append(("heading" if tag.startswith("h") else tag, text.strip()))
    return blocks


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=10.5, leading=14.5, spaceAfter=6)
    return {
        "title": ParagraphStyle(
            "title", base, fontName=BOLD, fontSize=20, leading=25, spaceAfter=14
        ),
        "count": ParagraphStyle("count", base, fontName=BOLD, fontSize=14, leading=19),
        "meta": ParagraphStyle("meta", base, fontSize=10, leading=13, spaceAfter=2),
        "heading": ParagraphStyle(
            "heading", base, fontName=BOLD, fontSize=12, leading=16, spaceBefore=6
        ),
        "p": base,
        "li": ParagraphStyle("li", base, leftIndent=14, bulletIndent=4, alignment=TA_LEFT),
    }


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


def cover_story(
    petition: Petition, language: str, count: int, options: dict, versions: Sequence[str] = ()
) -> list:
    text = petition.text_for(language)
    style = styles()
    today = timezone.localdate()
    story = [
        Paragraph(escape(text.title), style["title"]),
        Paragraph(
            escape(
                ngettext("%(count)s signature", "%(count)s signatures", count)
                % {"count": formats.number_format(count, force_grouping=True)}
            ),
            style["count"],
        ),
        Paragraph(
            escape(_("As of %(date)s") % {"date": formats.date_format(today, "DATE_FORMAT")}),
            style["meta"],
        ),
    ]
    for line in scope(options):
        story.append(Paragraph(escape(line), style["meta"]))
    for line in [*versions, *ledger_lines(petition)]:
        story.append(Paragraph(escape(line), style["meta"]))
    story.append(Spacer(1, 14))
    for kind, markup in paragraphs(text.body):
        if kind == "li":
            story.append(Paragraph(markup, style["li"], bulletText="•"))
        else:
            story.append(Paragraph(markup, style[kind]))
    return story


def version_lines(petition: Petition, signatures: QuerySet) -> list[str]:
    """Which versions of the text and targets the names were gathered on, and how many signed
    each: what each signer agreed to. The changes page shows their differences."""
    counts = signatures.values_list("version").annotate(n=Count("id")).order_by()
    by_version = dict(counts)
    lines = []
    for version in petition.versions.order_by("number"):
        if by_version.get(version.pk):
            n = by_version[version.pk]
            lines.append(
                ngettext(
                    "Version %(number)s of the text (from %(date)s): %(count)s signature",
                    "Version %(number)s of the text (from %(date)s): %(count)s signatures",
                    n,
                )
                % {
                    "number": version.number,
                    "date": formats.date_format(
                        timezone.localtime(version.created_at).date(), "DATE_FORMAT"
                    ),
                    "count": formats.number_format(n, force_grouping=True),
                }
            )
    if by_version.get(None):
        n = by_version[None]
        lines.append(
            ngettext(
                "Signed before versions were kept: %(count)s signature",
                "Signed before versions were kept: %(count)s signatures",
                n,
            )
            % {"count": formats.number_format(n, force_grouping=True)}
        )
    if petition.versions.count() > 1:
        url = settings.BASE_URL + reverse("petitions:changes", kwargs={"slug": petition.slug})
        lines.append(_("The changes between versions: %(url)s") % {"url": url})
    return lines


def ledger_lines(petition: Petition) -> list[str]:
    """The public ledger's latest signed head, so that whoever receives the document can check
    later that the count was not padded, nor a signature dropped, after it was handed over."""
    head = latest_head(petition)
    if head is None:
        return []
    return [
        _("Public ledger: %(size)s entries, %(count)s signatures standing, signed %(time)s")
        % {"size": head["size"], "count": head["count"], "time": head["time"]},
        _("Root: %(root)s") % {"root": head["root"]},
        _("Check it with verify_ledger (see docs/ledger.md) against %(url)s")
        % {"url": settings.BASE_URL + petition.get_absolute_url()},
    ]


def scope(options: dict) -> list[str]:
    """What the filters kept, in words, for the cover."""
    lines = []
    if options.get("countries"):
        names = sorted(countries.name(code) for code in options["countries"])
        lines.append(_("Signers from: %(countries)s") % {"countries": ", ".join(names)})
    start, end = options.get("signed_from"), options.get("signed_to")
    if start or end:
        lines.append(
            _("Signed between %(start)s and %(end)s")
            % {
                "start": formats.date_format(start, "DATE_FORMAT") if start else "…",
                "end": formats.date_format(end, "DATE_FORMAT") if end else "…",
            }
        )
    return lines


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def by_country(signatures: QuerySet) -> list[tuple[str, str, int]]:
    """(code, name, count) of the countries among `signatures`, in alphabetical order."""
    rows = signatures.values_list("country").annotate(n=Count("id")).order_by()
    named = [(code, countries.name(code) if code else _("No country given"), n) for code, n in rows]
    return sorted(named, key=lambda row: (not row[0], row[1]))


def write_pdf(file, petition: Petition, signatures: QuerySet, options: dict) -> None:
    """The delivery PDF of `signatures` (already filtered) written to `file`."""
    register_fonts()
    language = options.get("language") or petition.default_language
    with translation.override(language):
        groups = by_country(signatures)
        title = petition.text_for(language).title
        canvas = Canvas(file, pagesize=A4, pageCompression=1)
        canvas.setTitle(title)
        canvas.setCreator("firma")
        document = DeliveryList(
            canvas, title, options.get("internal", False), options.get("unlisted_names", False)
        )
        count = sum(n for _code, _name, n in groups)
        versions = version_lines(petition, signatures)
        document.cover(cover_story(petition, language, count, options, versions))
        # The verified endorsing organisations come first, by country, then everyone else.
        endorsed = signatures.endorsed()
        endorsing = endorsed.count()
        if endorsing:
            document.heading(
                ngettext(
                    "%(count)s endorsing organisation",
                    "%(count)s endorsing organisations",
                    endorsing,
                )
                % {"count": formats.number_format(endorsing, force_grouping=True)}
            )
            for code, name, n in by_country(endorsed):
                document.heading(f"{name} ({formats.number_format(n, force_grouping=True)})")
                ordered = endorsed.filter(country=code).order_by("confirmed_at", "pk")
                document.endorsements(ordered.values_list(*ENDORSEMENT_FIELDS).iterator(CHUNK))
            signatures = signatures.exclude(pk__in=endorsed.values("pk"))
            groups = by_country(signatures)
            document.heading(_("Signers"))
        if options.get("group_by_country"):
            for code, name, n in groups:
                document.heading(f"{name} ({formats.number_format(n, force_grouping=True)})")
                document.signers(rows(signatures.filter(country=code)))
        else:
            document.signers(rows(signatures))
        if document.text is not None:
            document.finish_page()
        canvas.save()


def rows(signatures: QuerySet) -> Iterator[tuple]:
    ordered = signatures.order_by("created_at", "pk").values_list(*ROW_FIELDS)
    return ordered.iterator(chunk_size=CHUNK)


def delivery_pdf(petition: Petition, signatures: QuerySet, options: dict) -> FileResponse:
    """The delivery PDF, written to a temporary file that the response streams and deletes."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    try:
        write_pdf(file, petition, signatures, options)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=export_name(petition.slug, "pdf"),
        content_type="application/pdf",
    )
