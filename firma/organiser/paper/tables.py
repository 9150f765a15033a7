"""The rows of an uploaded CSV or XLSX file, read lazily as text, whatever the file's encoding,
dialect or cell types."""

import codecs
import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _

# The CSV dialect is guessed from this much text: csv.Sniffer's time grows fast with its sample.
SNIFF_CHARS = 4096


class Table:
    """The rows of a CSV or XLSX file, read lazily: the first row names the columns."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @property
    def is_xlsx(self) -> bool:
        return self.path.suffix.lower() == ".xlsx"

    def rows(self) -> Iterator[list[str]]:
        raw = self.xlsx_rows() if self.is_xlsx else self.csv_rows()
        for row in raw:
            yield [cell_text(value) for value in row]

    def headers(self) -> list[str]:
        first = next(self.rows(), [])
        headers = []
        for number, header in enumerate(first, start=1):
            header = header or _("Column %(number)d") % {"number": number}
            while header in headers:
                header += f" ({number})"
            headers.append(header)
        return headers

    def count(self) -> int:
        """Rows after the header (for a progress bar: a CSV's quoted line breaks count too)."""
        if self.is_xlsx:
            import openpyxl  # heavy: loaded by the first spreadsheet import, not at start-up

            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            try:
                return max((workbook.active.max_row or 1) - 1, 0)
            finally:
                workbook.close()
        lines, last = 0, b"\n"
        with self.path.open("rb") as file:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        if last != b"\n":
            lines += 1  # a last line without its line break
        return max(lines - 1, 0)

    def xlsx_rows(self) -> Iterator[tuple]:
        import openpyxl

        workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        try:
            yield from workbook.active.iter_rows(values_only=True)
        finally:
            workbook.close()

    def csv_rows(self) -> Iterator[list[str]]:
        with self.path.open("rb") as binary:
            sample = binary.read(64 * 1024)
            encoding = "utf-8-sig" if decodes(sample) else "cp1252"
            binary.seek(0)
            text = io.TextIOWrapper(binary, encoding=encoding, newline="", errors="replace")
            try:
                dialect = csv.Sniffer().sniff(sample_lines(text), delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            text.seek(0)
            yield from csv.reader(text, dialect)


def sample_lines(text: io.TextIOBase) -> str:
    """The first whole lines within SNIFF_CHARS (a cut line would mislead the sniffer)."""
    sample = text.read(SNIFF_CHARS)
    if len(sample) == SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    return sample


def decodes(sample: bytes) -> bool:
    """Whether `sample`, perhaps cut in the middle of a character, is UTF-8."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())
