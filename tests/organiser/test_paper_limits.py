"""Paper-import uploads past the documented limits are refused before they are parsed; the CSV
dialect is guessed from a small sample; uploads wait under the site's own data directory."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from firma.organiser.paper import tables, uploads

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path / "data" / "uploads"
    settings.PAPER_IMPORT_MAX_ROWS = 50
    settings.PAPER_IMPORT_MAX_BYTES = 64 * 1024


def send(client, name: str, content: bytes):
    page = f"/admin/petitions/petition/{client.petition.pk}/paper/"
    return client.post(page, {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def editor(client_a, petition_a):
    client_a.petition = petition_a
    return client_a


def refused(response) -> str:
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("file", "over_limit"), form.errors
    return response.text


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_csv_with_too_many_rows_is_refused_with_the_limit(editor):
    rows = "".join(f"Signer {n};s{n}@example.org\n" for n in range(60))
    text = refused(send(editor, "list.csv", ("Name;E-mail\n" + rows).encode()))
    assert "more rows than the limit" in text
    assert "up to 50 rows" in text
    assert not uploads.uploads_folder().exists() or not any(uploads.uploads_folder().iterdir())


def test_a_csv_larger_than_the_limit_is_refused(editor):
    line = "A very long name indeed;" + "x" * 2000 + "\n"
    assert "larger than the limit" in refused(send(editor, "big.csv", (line * 40).encode()))


def test_an_xlsx_that_unpacks_past_the_limit_is_refused_unparsed(editor, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    bomb = zipped({"xl/worksheets/sheet1.xml": b"<row>" + b" " * 10_000_000 + b"</row>"})
    assert len(bomb) < 64 * 1024
    assert "Unpacked, the file is larger" in refused(send(editor, "bomb.xlsx", bomb))


def test_an_xlsx_with_too_many_rows_is_refused(editor, settings):
    settings.PAPER_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    rows = b"".join(
        b'<row r="%d"><c t="inlineStr"><is><t>x</t></is></c></row>' % n for n in range(80)
    )
    sheet = b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>"
    text = refused(send(editor, "rows.xlsx", zipped({"xl/worksheets/sheet1.xml": sheet})))
    assert "more rows than the limit" in text


def test_a_file_within_the_limits_waits_under_the_data_directory(editor, settings):
    response = send(editor, "ok.csv", b"Name;E-mail\nAna;ana@example.org\n")
    assert response.status_code == 302
    [stored] = uploads.uploads_folder().iterdir()
    assert stored.parent == settings.UPLOAD_DIR / "paper"
    assert oct(stored.parent.stat().st_mode & 0o777) == "0o700"


def test_the_dialect_is_sniffed_from_a_small_sample(tmp_path, monkeypatch):
    seen = []
    real = tables.csv.Sniffer.sniff

    def sniff(self, sample, *args, **kwargs):
        seen.append(len(sample))
        return real(self, sample, *args, **kwargs)

    monkeypatch.setattr(tables.csv.Sniffer, "sniff", sniff)
    path = tmp_path / "long.csv"
    path.write_text("Name;Comment\n" + "".join(f"Signer {n};{'x' * 90}\n" for n in range(2000)))
    rows = list(tables.Table(path).rows())
    assert rows[1][0] == "Signer 0"
    assert len(rows) == 2001
    assert seen and max(seen) <= tables.SNIFF_CHARS
