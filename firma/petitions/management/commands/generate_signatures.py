"""Fill a petition with realistic made-up signatures, fast: for size tests, exports, benchmarks."""

import random
from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from firma.petitions import counting
from firma.petitions.models import Petition, Signature

CONFIRMED = Signature.Status.CONFIRMED

# Given names and family names in several scripts, so that lists, exports and fonts see them all.
GIVEN = """Ana Lucía Mateo Sofía Joaquín Camila Łukasz Zofia Amélie Théo João Beatriz Ngozi Kwame
Aroha Mehmet Elif Olga Dmitri Анна Иван Μαρία Γιώργος محمد فاطمة יעל דוד 美咲 翔太 민준 서연
Priya Arjun प्रिया Nguyễn Thảo Siosaia""".split()  # noqa: SIM905
FAMILY = """García Fernández López Nowak Kowalski Dubois Martin Silva Santos Okafor Mensah Ngata
Yilmaz Demir Ivanova Петрова Παπαδόπουλος الخطيب כהן 佐藤 김 Sharma शर्मा Trần Fifita""".split()  # noqa: SIM905
ORGANIZATIONS = [
    "", "", "Teacher", "Nurse", "Student", "Retired", "Dock workers' union", "Tenants' association",
    "Journalist", "Lawyer", "Community kitchen volunteer", "Municipal worker", "Engineer",
]  # fmt: skip
# Weighted like an international campaign: a few countries bring most signatures.
COUNTRIES = ["AR"] * 30 + ["ES"] * 12 + ["FR"] * 10 + ["BR"] * 8 + ["MX"] * 6 + ["CL"] * 6
COUNTRIES += ["US", "DE", "IT", "GB", "PT", "UY", "CO", "PE", "TR", "GR", "ZA", "NG", "IN", "JP"]
LANGUAGES = ["es"] * 5 + ["en"] * 2 + ["fr", "pt"]


class Command(BaseCommand):
    help = "Add N confirmed, made-up signatures to a petition (e-mails under example.org)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("count", type=int)
        parser.add_argument("--days", type=int, default=30, help="spread over this many days")
        parser.add_argument("--pending", type=float, default=0.0, help="share left unconfirmed")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, slug, count, days, pending, seed, batch, **options) -> None:
        petition = Petition.objects.filter(slug=slug).first()
        if petition is None:
            raise CommandError(f"No petition with the slug '{slug}'.")
        if count < 1:
            raise CommandError("COUNT must be at least 1.")
        rng = random.Random(seed)
        start = Signature.objects.filter(petition=petition).count()
        now = timezone.now()
        made = 0
        while made < count:
            size = min(batch, count - made)
            rows = [
                fake_signature(petition, rng, start + made + n, now, days, pending)
                for n in range(size)
            ]
            with transaction.atomic():
                insert(rows)
                added = Counter(row["country"] for row in rows if row["status"] == CONFIRMED)
                counting.record_many((petition.pk, c, n) for c, n in added.items())
            made += size
        self.stdout.write(f"Added {count} signatures to '{slug}'.")


def insert(signatures: list[dict]) -> None:
    """INSERT the rows (field values by attribute name; the others take their defaults) with one
    prepared statement: model objects and bulk_create took most of the time for a million."""
    fields = [field for field in Signature._meta.concrete_fields if not field.primary_key]
    defaults = {
        field.attname: field.get_db_prep_save(field.get_default(), connection) for field in fields
    }
    moment = connection.ops.adapt_datetimefield_value
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(Signature._meta.db_table)
    rows = []
    for signature in signatures:
        values = {**defaults, **signature}
        values["created_at"] = moment(values["created_at"])
        values["confirmed_at"] = moment(values["confirmed_at"])
        rows.append([values[field.attname] for field in fields])
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def fake_signature(
    petition: Petition, rng: random.Random, number: int, now, days: int, pending: float
) -> dict:
    signed = now - timedelta(seconds=rng.randrange(days * 24 * 3600 + 1))
    confirmed = rng.random() >= pending
    email = f"signer{number}.{rng.randrange(10**6)}@example.org"
    return dict(
        petition_id=petition.pk,
        full_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
        affiliation=rng.choice(ORGANIZATIONS),
        country=rng.choice(COUNTRIES),
        email=email,
        mailbox=email,  # example.org is no provider with variants (rules.mailboxes)
        email_domain="example.org",
        language=rng.choice(LANGUAGES),
        public=rng.random() < 0.6,
        news_opt_in=rng.random() < 0.3,
        comment="Solidarity!" if rng.random() < 0.1 else "",
        status=Signature.Status.CONFIRMED if confirmed else Signature.Status.PENDING,
        created_at=signed,
        confirmed_at=min(now, signed + timedelta(minutes=rng.randrange(1, 120)))
        if confirmed
        else None,
    )
