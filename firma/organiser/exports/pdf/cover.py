"""The cover of a delivery PDF: the petition's title and text, the count and the date, what the
filters kept, the versions of the text the names were gathered on, and the ledger's head."""

import re
from collections.abc import Sequence

import markdown
import nh3
from django.conf import settings
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Spacer

from firma.ledger.selectors import latest_head
from firma.organiser.exports.pdf.drawing import BOLD, REGULAR
from firma.petitions.models import Petition


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
