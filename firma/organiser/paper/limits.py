"""Limits of a paper-import upload, checked before anything parses it.

An XLSX file is a zip archive: a few megabytes can unpack to gigabytes of XML (a zip bomb), and
openpyxl would read it all. So the archive's directory is read first, and a CSV's line breaks are
counted, against PAPER_IMPORT_MAX_BYTES and PAPER_IMPORT_MAX_ROWS.
"""

import zipfile

from django.conf import settings
from django.utils.translation import gettext as _


class TooLarge(ValueError):
    """The file passes a limit: it would take too long or too much memory to read."""


def check_size(source, extension: str) -> None:
    """Raise TooLarge for a file whose uncompressed size or row count passes the limits,
    reading only the XLSX's directory or counting a CSV's line breaks (nothing is parsed)."""
    max_bytes, max_rows = settings.PAPER_IMPORT_MAX_BYTES, settings.PAPER_IMPORT_MAX_ROWS
    source.seek(0)
    if extension == ".xlsx":
        try:
            with zipfile.ZipFile(source) as archive:
                members = archive.infolist()
        except zipfile.BadZipFile:
            raise TooLarge(_("This is not a readable XLSX file.")) from None
        if sum(member.file_size for member in members) > max_bytes:
            raise TooLarge(_("Unpacked, the file is larger than the limit."))
        # A row is at least "<row><c><v>…" in the sheet: a cheap upper bound of the rows.
        sheets = [m for m in members if m.filename.startswith("xl/worksheets/sheet")]
        rows = max((member.file_size // 16 for member in sheets), default=0)
        if rows > max_rows and count_xlsx_rows(source) > max_rows:
            raise TooLarge(_("The file has more rows than the limit."))
    else:
        size = lines = 0
        for chunk in iter(lambda: source.read(1 << 20), b""):
            size += len(chunk)
            lines += chunk.count(b"\n")
            if size > max_bytes:
                raise TooLarge(_("The file is larger than the limit."))
            if lines > max_rows + 1:
                raise TooLarge(_("The file has more rows than the limit."))
    source.seek(0)


def count_xlsx_rows(source) -> int:
    """Rows of the first sheet, counted in its XML without building any cell."""
    source.seek(0)
    with zipfile.ZipFile(source) as archive:
        sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        if not sheets:
            return 0
        count = 0
        with archive.open(sheets[0]) as sheet:
            for chunk in iter(lambda: sheet.read(1 << 20), b""):
                count += chunk.count(b"<row ") + chunk.count(b"<row>")
        return count
