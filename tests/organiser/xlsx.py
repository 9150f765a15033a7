"""A tiny XLSX reader for the tests: the cells of the first sheet, as text."""

import io
import re
import zipfile
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """Excel writes characters XML cannot hold (a carriage return, say) as _xHHHH_."""
    return ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def text(element) -> str:
    return unescape("".join(node.text or "" for node in element.iterfind(".//m:t", NS)))


def read_xlsx(content: bytes) -> list[list[str]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        shared = []
        if "xl/sharedStrings.xml" in archive.namelist():
            strings = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = [text(item) for item in strings.iterfind("m:si", NS)]
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind(".//m:sheetData/m:row", NS):
        cells = []
        for cell in row.iterfind("m:c", NS):
            # Every cell must be text: no formula, no number.
            assert cell.find("m:f", NS) is None, ElementTree.tostring(cell)
            kind = cell.get("t")
            assert kind in ("inlineStr", "s"), ElementTree.tostring(cell)
            if kind == "s":
                cells.append(shared[int(cell.find("m:v", NS).text)])
            else:
                cells.append(text(cell))
        rows.append(cells)
    return rows
