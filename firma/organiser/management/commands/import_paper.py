"""Import paper signatures from a CSV or XLSX file, with a progress bar: for files too large for
the browser. The same checks as the admin's import; --dry-run only reports."""

from django.core.management.base import BaseCommand, CommandError

from firma.organiser.paper.forms import MappingForm
from firma.organiser.paper.rows import TARGETS
from firma.organiser.paper.services import run
from firma.organiser.paper.tables import Table
from firma.petitions.models import Petition

BAR = 30


class Command(BaseCommand):
    help = (
        "Import paper signatures into a petition. --map tells which column holds each field, "
        'by header: --map "name=Full name,email=E-mail,country=Country". Without it, columns '
        "named like the fields (name, organisation, country, email, date, comment) are used."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            help="FIELD=Header pairs, separated by commas; may be repeated",
        )
        parser.add_argument("--public", action="store_true", help="list the signers publicly")
        parser.add_argument("--dry-run", action="store_true", help="check only, import nothing")

    def handle(self, *args, slug, file, map, public, dry_run, **options) -> None:
        petition = Petition.objects.filter(slug=slug).first()
        if petition is None:
            raise CommandError(f"No petition with the slug '{slug}'.")
        if not file.lower().endswith((".csv", ".xlsx")):
            raise CommandError("The file must be a .csv or an .xlsx file.")
        table = Table(file)
        try:
            headers = table.headers()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        mapping = self.mapping(headers, map)
        if "name" not in mapping:
            raise CommandError("No column for the name: use --map name=Header.")
        total = table.count()
        self.stderr.write(
            "Columns: " + ", ".join(f"{t}={headers[c]!r}" for t, c in mapping.items())
        )
        report = run(
            petition,
            table,
            mapping,
            commit=not dry_run,
            public=public,
            filename=file,
            progress=lambda done: self.progress(done, total),
        )
        self.stderr.write("")
        for problem in report.problems:
            value = f" ({problem.value})" if problem.value else ""
            self.stdout.write(f"row {problem.row}: {problem.code}: {problem.message}{value}")
        if report.problem_count > len(report.problems):
            self.stdout.write(f"… and {report.problem_count - len(report.problems)} more.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {report.accepted} of {report.rows} rows; {report.skipped} skipped."
        )

    def mapping(self, headers: list[str], pairs: list[str]) -> dict[str, int]:
        if not pairs:
            form = MappingForm(headers)
            guessed = {t: form.fields[t].initial for t in TARGETS}
            return {target: int(column) for target, column in guessed.items() if column}
        folded = [header.strip().casefold() for header in headers]
        mapping = {}
        for pair in ",".join(pairs).split(","):
            if not pair.strip():
                continue
            target, _, header = pair.partition("=")
            target = target.strip()
            if target not in TARGETS:
                raise CommandError(f"Unknown field '{target}': one of {', '.join(TARGETS)}.")
            if header.strip().casefold() not in folded:
                raise CommandError(f"No column '{header}' in the file: {', '.join(headers)}.")
            mapping[target] = folded.index(header.strip().casefold())
        return mapping

    def progress(self, done: int, total: int) -> None:
        share = min(done / total, 1.0) if total else 1.0
        filled = int(share * BAR)
        bar = "#" * filled + "-" * (BAR - filled)
        self.stderr.write(f"\r[{bar}] {share:4.0%} {done:,}/{total:,} rows", ending="")
        self.stderr.flush()
