"""Paper signatures: upload a CSV or XLSX file, map its columns, read the report, import."""

import io
import re

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from firma.organiser.audit.models import AuditEntry
from firma.organiser.paper.uploads import uploads_folder
from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from firma.tenancy.models import Membership

from .conftest import add, as_member

pytestmark = pytest.mark.django_db

CSV = """Full name;E-mail;Country;Date;Organisation;Notes
Ana Souza;ANA@example.org;Brasil;2025-03-01;Teachers' union;Go!
;nobody@example.org;FR;;;
Marie Dubois;not-an-address;France;01/03/2025;;
Jan Kowalski;jan@example.org;Narnia;;;
Ana Again;ana@example.org;BR;;;
Old Signer;old@example.org;DEU;;;
Olga Ivanova;;Rusia;1.3.2025;;
Li Wei;li@example.org;Espagne;2099-01-01;;
Juan Pérez;juan@example.org;españa;;Nurse;
"""
MAPPING = {"name": "0", "email": "1", "country": "2", "date": "3", "organisation": "4"}


@pytest.fixture(autouse=True)
def upload_folder(tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path / "uploads"


def paper_page(petition: Petition) -> str:
    return f"/admin/petitions/petition/{petition.pk}/paper/"


def upload(client, petition: Petition, content: bytes, name: str = "sheet.csv") -> str:
    response = client.post(paper_page(petition), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content[:2000]
    return response["Location"]


def uploads() -> list:
    folder = uploads_folder()
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def existing(petition_a) -> Signature:
    return add(petition_a, "Old Signer", "old@example.org", country="DE")


def test_the_report_lists_each_problem_by_row_then_the_import_commits(
    client_a, petition_a, existing
):
    review = upload(client_a, petition_a, CSV.encode())
    page = client_a.get(review)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["name"].value() == "0"  # guessed from "Full name"
    assert form["email"].value() == "1"

    report = client_a.get(review, {"check": "1", **MAPPING}).context["report"]
    problems = [(problem.row, problem.code) for problem in report.problems]
    assert problems == [
        (3, "missing_name"),
        (4, "bad_email"),
        (5, "unknown_country"),
        (6, "duplicate_in_file"),
        (7, "duplicate_existing"),
        (9, "future_date"),
    ]
    assert report.rows == 9
    assert report.accepted == 3
    assert Signature.objects.filter(paper=True).count() == 0  # checking imports nothing

    response = client_a.post(review, MAPPING)
    assert response.status_code == 302
    imported = Signature.objects.filter(petition=petition_a, paper=True).order_by("full_name")
    assert [(s.full_name, s.email, s.country.code) for s in imported] == [
        ("Ana Souza", "ana@example.org", "BR"),
        ("Juan Pérez", "juan@example.org", "ES"),
        ("Olga Ivanova", "", "RU"),
    ]
    ana, juan, olga = imported
    assert ana.affiliation == "Teachers' union"
    assert ana.created_at.date().isoformat() == "2025-03-01"
    assert olga.confirmed_at.date().isoformat() == "2025-03-01"
    assert juan.confirmed_at is not None
    for signature in imported:
        assert signature.status == Signature.Status.CONFIRMED
        assert not signature.public
        assert not signature.news_opt_in
    counting.forget(petition_a)
    assert counting.total(petition_a) == 4
    assert counting.drift(petition_a.pk) == {}
    entry = AuditEntry.objects.get(action="paper_import")
    assert entry.petition == petition_a
    assert entry.user.username == "editor-a"
    assert "3 imported of 9 rows" in entry.detail
    assert uploads() == []  # the file is not kept
    assert client_a.get(review).status_code == 404


def test_an_xlsx_file_can_be_listed_publicly(client_a, petition_a):
    file = io.BytesIO()
    workbook = xlsxwriter.Workbook(file, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Nombre", "Correo", "País"])
    sheet.write_row(1, 0, ["Lucía García", "lucia@example.org", "Argentina"])
    sheet.write_row(2, 0, ["Ζωή Νικολάου", "zoe@example.org", "GR"])
    workbook.close()
    review = upload(client_a, petition_a, file.getvalue(), "hojas.xlsx")
    page = client_a.get(review, {"check": "1", "name": "0", "email": "1", "country": "2"})
    assert page.context["report"].accepted == 2
    assert "hojas.xlsx" in page.text
    client_a.post(review, {"name": "0", "email": "1", "country": "2", "public": "on"})
    listed = Signature.objects.listed().filter(paper=True).order_by("full_name")
    assert [(s.full_name, s.country.code) for s in listed] == [
        ("Lucía García", "AR"),
        ("Ζωή Νικολάου", "GR"),
    ]


def test_the_mapping_needs_a_name_column_used_once(client_a, petition_a):
    review = upload(client_a, petition_a, CSV.encode())
    form = client_a.get(review, {"check": "1", "name": ""}).context["form"]
    assert form.has_error("name", "required")
    form = client_a.get(review, {"check": "1", "name": "0", "comment": "0"}).context["form"]
    assert form.has_error("__all__", "column_used_twice")


def test_other_files_are_refused(client_a, petition_a):
    response = client_a.post(
        paper_page(petition_a), {"file": SimpleUploadedFile("list.pdf", b"%PDF-1.4")}
    )
    assert response.context["form"].has_error("file", "unsupported_type")


def test_cancelling_deletes_the_upload(client_a, petition_a):
    review = upload(client_a, petition_a, CSV.encode())
    assert client_a.get(review + "cancel/").status_code == 405
    assert client_a.post(review + "cancel/").status_code == 302
    assert uploads() == []


@pytest.mark.parametrize("role", [Membership.Role.VIEWER, Membership.Role.MODERATOR])
def test_only_editors_import(client, petition_a, org_a, role):
    member = as_member(client, org_a, role)
    assert member.get(paper_page(petition_a)).status_code == 403
    response = member.post(paper_page(petition_a), {"file": SimpleUploadedFile("a.csv", b"x")})
    assert response.status_code == 403


def test_another_organisation_cannot_import_or_reach_an_upload(
    client, client_a, petition_a, petition_b, org_b
):
    assert client_a.get(paper_page(petition_b)).status_code == 404
    review = upload(client_a, petition_a, CSV.encode())
    other = as_member(client, org_b, Membership.Role.EDITOR)
    token = re.search(r"/paper/([^/]+)/$", review).group(1)
    assert other.get(paper_page(petition_b) + token + "/").status_code == 404
    assert other.post(review, MAPPING).status_code == 404


def test_the_command_checks_then_imports_with_a_progress_bar(petition_a, existing, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(CSV, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    mapping = "name=Full name,email=E-mail,country=Country,date=Date"
    call_command("import_paper", petition_a.slug, str(path), "--map", mapping, "--dry-run",
                 stdout=out, stderr=err)  # fmt: skip
    assert "Would import 3 of 9 rows; 6 skipped." in out.getvalue()
    assert "row 5: unknown_country" in out.getvalue()
    assert "100% 9/9 rows" in err.getvalue()
    assert not Signature.objects.filter(paper=True).exists()

    call_command("import_paper", petition_a.slug, str(path), "--map", mapping,
                 stdout=out, stderr=err)  # fmt: skip
    assert Signature.objects.filter(paper=True).count() == 3
    assert AuditEntry.objects.filter(action="paper_import", user=None).count() == 1


def test_the_command_refuses_an_unknown_column(petition_a, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(CommandError, match="No column 'Nom'"):
        call_command("import_paper", petition_a.slug, str(path), "--map", "name=Nom")


def test_a_large_file_is_imported_in_batches(petition_a, tmp_path):
    path = tmp_path / "big.csv"
    lines = ["name,email,country"] + [f"Signer {n},s{n}@example.org,AR" for n in range(2500)]
    path.write_text("\n".join(lines), encoding="utf-8")
    err = io.StringIO()
    call_command("import_paper", petition_a.slug, str(path), stdout=io.StringIO(), stderr=err)
    assert Signature.objects.filter(paper=True, country="AR").count() == 2500
    assert "1,000/2,500 rows" in err.getvalue()
    counting.forget(petition_a)
    assert counting.total(petition_a) == 2500


def test_variants_of_an_address_are_one_person_on_paper_too(client_a, petition_a):
    add(petition_a, "Ana Online", "ana.souza@gmail.com", mailbox="anasouza@gmail.com")
    sheet = "Name;E-mail\nAna Paper;AnaSouza+paper@googlemail.com\nBo;bo+x@outlook.com\n"
    sheet += "Bo Again;bo@outlook.com\n"
    review = upload(client_a, petition_a, sheet.encode())
    data = {"name": "0", "email": "1"}
    report = client_a.get(review, {"check": "1", **data}).context["report"]
    problems = [(problem.row, problem.code) for problem in report.problems]
    assert problems == [(2, "duplicate_existing"), (4, "duplicate_in_file")]
    client_a.post(review, data)
    imported = Signature.objects.filter(paper=True)
    assert [(s.email, s.mailbox) for s in imported] == [("bo+x@outlook.com", "bo@outlook.com")]
