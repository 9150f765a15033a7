"""Importing signatures collected on paper, from a CSV or XLSX file.

An import reads the file row by row in batches, so a large file never sits in memory: each row is
checked (rows.py), e-mails seen twice in the file or already among the petition's signatures are
skipped, and the rows that pass become confirmed signatures marked as paper ones, not listed
publicly unless asked. The same run without committing is the validation report shown before the
import. The file waits between the steps as an upload (uploads.py).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from firma.core import events
from firma.organiser.audit.models import AuditEntry
from firma.organiser.paper.rows import check
from firma.organiser.paper.tables import Table
from firma.petitions import counting
from firma.petitions.consents import services as consents
from firma.petitions.consents import wordings
from firma.petitions.consents.wordings import Choice, Consent
from firma.petitions.models import ConsentRecord, Petition, Signature
from firma.petitions.rules import mailboxes
from firma.petitions.versions import services as versions

PAPER = ConsentRecord.Channel.PAPER

BATCH = 1000
KEEP_PROBLEMS = 500


@dataclass
class Problem:
    row: int
    code: str
    message: str
    value: str = ""


@dataclass
class Report:
    rows: int = 0
    accepted: int = 0
    committed: bool = False
    problems: list[Problem] = field(default_factory=list)
    by_code: Counter = field(default_factory=Counter)

    def add(self, problem: Problem) -> None:
        self.by_code[problem.code] += 1
        if len(self.problems) < KEEP_PROBLEMS:
            self.problems.append(problem)

    @property
    def codes(self) -> list[tuple[str, int]]:
        """(code, rows), for templates: they would read `by_code.items` as a key."""
        return sorted(self.by_code.items())

    @property
    def skipped(self) -> int:
        return self.rows - self.accepted

    @property
    def problem_count(self) -> int:
        return sum(self.by_code.values())

    def describe(self) -> str:
        parts = [f"{self.accepted} imported of {self.rows} rows"]
        parts += [f"{code}: {n}" for code, n in sorted(self.by_code.items())]
        return ", ".join(parts)


def run(
    petition: Petition,
    table: Table,
    mapping: dict[str, int],
    *,
    commit: bool,
    public: bool = False,
    user=None,
    filename: str = "",
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Check every row of `table`; with `commit`, import those that pass, in one transaction.

    `mapping` gives the column (0-based) of each target that the file has.
    """
    report = Report(committed=commit)
    with transaction.atomic():
        countries_added: Counter = Counter()
        seen: dict[str, int] = {}
        rows = table.rows()
        next(rows, None)  # the header
        batch = []
        for number, cells in enumerate(rows, start=2):
            if not any(cells):
                continue
            batch.append((number, cells))
            if len(batch) == BATCH:
                take(petition, batch, mapping, seen, report, commit, public, countries_added)
                batch = []
                if progress:
                    progress(report.rows)
        take(petition, batch, mapping, seen, report, commit, public, countries_added)
        if progress:
            progress(report.rows)
        if commit:
            counting.record_many((petition.pk, c, n) for c, n in countries_added.items())
            AuditEntry.objects.create(
                organisation_id=petition.organisation_id,
                petition=petition,
                user=user,
                action="paper_import",
                detail=f"{filename}: {report.describe()}"[:500],
            )
    report.problems.sort(key=lambda problem: problem.row)
    if commit:
        counting.forget(petition)
    return report


def take(petition, batch, mapping, seen, report, commit, public, countries_added) -> None:
    """Check one batch of rows, and create the signatures of those that pass if committing."""
    now = timezone.now()
    today = timezone.localdate()
    checked = []
    for number, cells in batch:
        report.rows += 1
        values = {
            target: cells[column] if column < len(cells) else ""
            for target, column in mapping.items()
        }
        fields, problems = check(values, today)
        email = fields["mailbox"]  # variants of one address are one person (rules.mailboxes)
        if email and not problems:
            if email in seen:
                problems.append(
                    (
                        "duplicate_in_file",
                        _("The same e-mail address is in row %(row)d.") % {"row": seen[email]},
                        email,
                    )
                )
            else:
                seen[email] = number
        for code, message, value in problems:
            report.add(Problem(number, code, message, value))
        if not problems:
            checked.append((number, fields))
    boxes = [fields["mailbox"] for _number, fields in checked if fields["mailbox"]]
    emails = [fields["email"] for _number, fields in checked if fields["email"]]
    found = Signature.objects.filter(petition=petition).filter(
        Q(mailbox__in=boxes) | Q(email__in=emails)
    )
    existing = {
        box
        for pair in found.values_list("mailbox", "email")
        for box in (pair[0], mailboxes.mailbox(pair[1]))
    }
    signatures = []
    for number, fields in checked:
        if fields["mailbox"] and fields["mailbox"] in existing:
            message = _("This e-mail address has already signed: skipped.")
            report.add(Problem(number, "duplicate_existing", message, fields["email"]))
            continue
        report.accepted += 1
        countries_added[fields["country"]] += 1
        signatures.append(paper_signature(petition, fields, now, public))
    if commit and signatures:
        version = versions.current(petition)  # the text the sheets were gathered for, as known
        for signature in signatures:
            signature.version = version
        Signature.objects.bulk_create(signatures, batch_size=BATCH)
        with translation.override(petition.default_language):  # the signatures' language
            shown = paper_consents(public)
        consents.record((signature, shown, PAPER) for signature in signatures)
        ids = [signature.pk for signature in signatures]
        events.signatures_added.send(Petition, petition=petition, signature_ids=ids)


def paper_consents(public: bool) -> list[Consent]:
    """What a paper signer agreed to, as the organisers state it for the whole upload."""
    return [
        Consent(Choice.PRIVACY, True, wordings.paper_privacy()),
        Consent(Choice.LISTING, public, wordings.paper_listing()),
    ]


def paper_signature(petition: Petition, fields: dict, now: datetime, public: bool) -> Signature:
    signed = now
    if fields["signed"] is not None:
        signed = timezone.make_aware(datetime.combine(fields["signed"], datetime.min.time()))
        signed = signed.replace(hour=12)  # midday: the day stays the same in nearby time zones
    return Signature(
        petition=petition,
        full_name=fields["full_name"],
        affiliation=fields["affiliation"],
        country=fields["country"],
        email=fields["email"],
        mailbox=fields["mailbox"],
        email_domain=fields["email"].rpartition("@")[2],
        comment=fields["comment"],
        language=petition.default_language,
        public=public,
        status=Signature.Status.CONFIRMED,
        created_at=signed,
        confirmed_at=signed,
        paper=True,
    )
