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

The cover is written by cover.py, the pages of signers drawn by drawing.py.
"""

import tempfile
from collections.abc import Iterator

from django.db.models import Count, QuerySet
from django.http import FileResponse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from firma.organiser.exports.pdf.cover import cover_story, version_lines
from firma.organiser.exports.pdf.drawing import DeliveryList, register_fonts
from firma.organiser.exports.services import CHUNK, export_name
from firma.petitions.models import Petition

ROW_FIELDS = ["full_name", "affiliation", "country", "created_at", "public", "hidden"]
ENDORSEMENT_FIELDS = ["organisation_name", "organisation_website", "country", "confirmed_at"]


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
