"""Counting confirmed signatures without a hot row.

A busy petition must not make every signer wait on one counter row. Each change to the count
(a confirmation, an invalidation, a deletion …) appends a `TallyChange` row in the transaction
that made it. The worker folds those rows into `Tally` rows (one per petition and country)
every second or so, and a reconciliation task recounts the signatures now and then and appends
a correction for any drift, so that a path that forgot to record its change cannot leave the
count wrong for long.

Readers add the tallies and the changes not folded yet in one SQL statement (one snapshot, so a
fold running at the same moment is never counted twice or missed), and keep the answer in the
cache for `COUNT_CACHE_SECONDS`: the count shown is exact within that time of a change.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django_tasks import task

from firma.core import events
from firma.core.periodic import schedule
from firma.petitions.models import Petition, Signature, Tally, TallyChange

logger = logging.getLogger("firma.counting")

FOLD_INTERVAL = timedelta(seconds=1)
RECONCILE_INTERVAL = timedelta(minutes=5)

COUNTS_SQL = f"""
    SELECT country, SUM(n) FROM (
        SELECT country, total AS n FROM {Tally._meta.db_table} WHERE petition_id = %s
        UNION ALL
        SELECT country, delta AS n FROM {TallyChange._meta.db_table} WHERE petition_id = %s
    ) AS parts GROUP BY country
"""


def record(petition_id: int, country: str, delta: int) -> None:
    """Note that `petition`'s count in `country` changed by `delta`. Call it in the transaction
    that makes the change."""
    if delta:
        TallyChange.objects.create(petition_id=petition_id, country=country or "", delta=delta)


def record_many(changes: Iterable[tuple[int, str, int]]) -> None:
    """Several (petition id, country, delta) changes at once, e.g. for a bulk action."""
    rows = [
        TallyChange(petition_id=petition_id, country=country or "", delta=delta)
        for petition_id, country, delta in changes
        if delta
    ]
    TallyChange.objects.bulk_create(rows, batch_size=500)


def record_signatures(
    signatures, sign: int, among_invalidated: bool = False, among_pending: bool = False
) -> None:
    """Record that the counted signatures of the queryset `signatures` start (sign=1) or stop
    (sign=-1) counting. Call it before the change. Only confirmed, valid ones are counted,
    unless they are being restored (`among_invalidated`) or confirmed (`among_pending`)."""
    status = Signature.Status.PENDING if among_pending else Signature.Status.CONFIRMED
    counted = signatures.filter(status=status)
    if not among_invalidated:
        counted = counted.filter(invalidation__isnull=True)
    rows = counted.values_list("petition_id", "country").annotate(n=Count("id")).order_by()
    record_many((petition_id, country, sign * n) for petition_id, country, n in rows)


def counts(petition: Petition | int) -> dict[str, int]:
    """Confirmed, valid signatures by country code ("" for none), read from the tallies."""
    petition_id = petition if isinstance(petition, int) else petition.pk
    key = f"firma:counts:{petition_id}"
    found = cache.get(key)
    if found is None:
        found = read_counts(petition_id)
        cache.set(key, found, settings.COUNT_CACHE_SECONDS)
    return found


def read_counts(petition_id: int) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(COUNTS_SQL, [petition_id, petition_id])
        return {country: int(n) for country, n in cursor.fetchall() if n}


def total(petition: Petition | int) -> int:
    return sum(counts(petition).values())


def by_country(petition: Petition | int) -> list[tuple[str, int]]:
    """(alpha-2 code, count), largest first, without the signatures that gave no country."""
    rows = [(code, n) for code, n in counts(petition).items() if code and n > 0]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def forget(petition: Petition | int) -> None:
    """Drop the cached counts, so that the next reader sees a change at once."""
    petition_id = petition if isinstance(petition, int) else petition.pk
    cache.delete(f"firma:counts:{petition_id}")


def fold(batch: int = 100_000) -> int:
    """Add the pending changes into the tallies and delete them; returns how many were folded.

    The changes are taken with DELETE … RETURNING: should two folds run at once, each row goes
    to exactly one of them.
    """
    table = TallyChange._meta.db_table
    with transaction.atomic():
        first = TallyChange.objects.order_by("id").values_list("id", flat=True).first()
        if first is None:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE id < %s RETURNING petition_id, country, delta",
                [first + batch],
            )
            taken = cursor.fetchall()
        sums: dict[tuple[int, str], int] = defaultdict(int)
        for petition_id, country, delta in taken:
            sums[petition_id, country] += delta
        for (petition_id, country), n in sorted(sums.items()):
            tally, _ = Tally.objects.select_for_update().get_or_create(
                petition_id=petition_id, country=country
            )
            Tally.objects.filter(pk=tally.pk).update(total=F("total") + n)
    return len(taken)


def recount(petition: Petition | int) -> dict[str, int]:
    """Confirmed, valid signatures by country, counted from the signatures themselves."""
    petition_id = petition if isinstance(petition, int) else petition.pk
    rows = (
        Signature.objects.confirmed()
        .filter(petition_id=petition_id)
        .values_list("country")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {country: n for country, n in rows}


def drift(petition_id: int) -> dict[str, int]:
    """What the tallies lack (positive) or have too much (negative), by country."""
    # Both sides in one statement, so one snapshot: a confirmation in flight is in both or in
    # neither.
    signature = Signature._meta.db_table
    sql = f"""
        SELECT country, SUM(n) FROM (
            SELECT country, COUNT(*) AS n FROM {signature}
             WHERE petition_id = %s AND status = %s AND invalidation_id IS NULL
             GROUP BY country
            UNION ALL
            SELECT country, -total AS n FROM {Tally._meta.db_table} WHERE petition_id = %s
            UNION ALL
            SELECT country, -delta AS n FROM {TallyChange._meta.db_table} WHERE petition_id = %s
        ) AS parts GROUP BY country
    """
    params = [petition_id, Signature.Status.CONFIRMED, petition_id, petition_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {country: int(n) for country, n in cursor.fetchall() if n}


def reconcile() -> dict[int, dict[str, int]]:
    """Recount every petition and append a correction for each drift found; returns them."""
    repaired = {}
    for petition_id in Petition.objects.values_list("pk", flat=True):
        with transaction.atomic():
            found = drift(petition_id)
            if found:
                record_many((petition_id, country, n) for country, n in found.items())
        if found:
            logger.warning("Count drift repaired for petition %s: %s", petition_id, found)
            repaired[petition_id] = found
            forget(petition_id)
    return repaired


@task()
def fold_tallies() -> None:
    """Fold the count changes, then queue the next fold."""
    try:
        folded = fold()
        # Outside the fold's transaction: what listens (the ledger) appends in its own.
        events.counts_folded.send(None, folded=folded)
    finally:
        schedule(fold_tallies, run_after=timezone.now() + FOLD_INTERVAL)


@task()
def reconcile_tallies() -> None:
    """Recount and repair drift, then queue the next check."""
    try:
        reconcile()
    finally:
        schedule(reconcile_tallies, run_after=timezone.now() + RECONCILE_INTERVAL)
