"""Writing the ledger: appending the events waiting, building a ledger for signatures that
predate it, and signing tree heads.

Appending compares, for each signature named by an event, what the ledger last recorded with
what the signature is now, and appends the difference. So the order in which events arrive
does not matter, two events about one signature between two folds make one leaf or none, and
a signature nobody announced (one written into the database behind firma's back) never gets
a leaf: its count then disagrees with the head, which the verifier reports.
"""

import hashlib
import logging
import secrets
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from firma.ledger import keys, merkle
from firma.ledger.models import Event, Head, Leaf, Ledger, Node, Pending, Salt
from firma.petitions.models import Petition, Signature

logger = logging.getLogger("firma.ledger")

# Events taken per petition and transaction, so that a flood is appended in bounded steps
# (about a second and a half each) and the fold that calls it is never held up for long.
BATCH = 5_000
SIGNATURE_FIELDS = ["id", "status", "invalidation_id", "email", "confirmed_at", "anonymised_at"]


def digest(salt: bytes | None, email: str) -> bytes:
    return hashlib.sha256((salt or b"") + email.encode()).digest()


def moment(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Appender:
    """Leaves added to one locked ledger, written together by save()."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.frontier = merkle.unpack(bytes(ledger.frontier))
        self.leaves: list[Leaf] = []
        self.nodes: list[Node] = []
        self.salts: list[Salt] = []
        self.changed: list[Salt] = []

    def add(
        self, salt: Salt, event: str, when: datetime, reason: str = "", standing: bool = True
    ) -> None:
        index = self.ledger.size
        entry = keys.canonical(
            {
                "signature": salt.signature_id,
                "digest": bytes(salt.digest).hex(),
                "event": event,
                "reason": reason,
                "standing": standing,
                "time": moment(when),
            }
        )
        made = merkle.append(index, self.frontier, merkle.leaf_hash(entry))
        self.leaves.append(
            Leaf(
                ledger=self.ledger,
                index=index,
                signature_id=salt.signature_id,
                event=event,
                entry=entry.decode(),
                hash=made[0][2],
            )
        )
        self.nodes.extend(
            Node(ledger=self.ledger, level=level, index=i, hash=h) for level, i, h in made[1:]
        )
        self.ledger.count += int(standing) - int(salt.standing)
        salt.standing = standing
        self.ledger.size += 1

    def confirm(self, signature_id: int, email: str, when: datetime) -> None:
        # An address already erased (or a signature gone before its turn) gets a digest that no
        # salt can ever link to anyone.
        salt = secrets.token_bytes(16)
        found = Salt(
            ledger=self.ledger,
            signature_id=signature_id,
            salt=salt if email else None,
            digest=digest(salt, email),
            standing=False,
            first_leaf=self.ledger.size,
        )
        self.add(found, Event.CONFIRMED, when)
        self.salts.append(found)

    def save(self) -> None:
        Leaf.objects.bulk_create(self.leaves, batch_size=2000)
        Node.objects.bulk_create(self.nodes, batch_size=2000)
        Salt.objects.bulk_create(self.salts, batch_size=2000)
        Salt.objects.bulk_update(self.changed, ["standing", "erased", "salt"], batch_size=2000)
        self.ledger.frontier = b"".join(self.frontier)
        self.ledger.save(update_fields=["size", "count", "frontier"])


def locked_ledger(petition_id: int) -> Ledger:
    """The petition's ledger, locked until the end of the transaction (created if need be)."""
    Ledger.objects.get_or_create(petition_id=petition_id)
    return Ledger.objects.select_for_update().get(petition_id=petition_id)


def catch_up(appender: Appender, touched: dict[int, str], now: datetime) -> None:
    """Append what changed for each signature in `touched` (id → reason it went, if it did)."""
    ids = list(touched)
    signatures = {
        row["id"]: row for row in Signature.objects.filter(pk__in=ids).values(*SIGNATURE_FIELDS)
    }
    salts = {salt.signature_id: salt for salt in Salt.objects.filter(signature_id__in=ids)}
    for signature_id, reason in touched.items():
        row, salt = signatures.get(signature_id), salts.get(signature_id)
        counted = bool(row) and row["status"] == "confirmed" and row["invalidation_id"] is None
        if salt is None:
            if counted:
                email = "" if row["anonymised_at"] else row["email"]
                appender.confirm(signature_id, email, row["confirmed_at"] or now)
            continue
        if salt.erased:
            continue
        if row is None:
            appender.add(salt, Event.ERASED, now, reason or "deleted", standing=False)
            salt.erased, salt.salt = True, None
        elif counted and not salt.standing:
            appender.add(salt, Event.RESTORED, now, "organiser")
        elif not counted and salt.standing:
            appender.add(salt, Event.INVALIDATED, now, "organiser", standing=False)
        else:
            continue
        appender.changed.append(salt)


def append_petition(petition_id: int) -> int:
    """Append the events waiting for one petition; returns how many were taken."""
    with transaction.atomic():
        ledger = locked_ledger(petition_id)
        rows = list(
            Pending.objects.filter(petition_id=petition_id)
            .order_by("id")
            .values_list("id", "signature_id", "reason")[:BATCH]
        )
        if not rows:
            return 0
        Pending.objects.filter(petition_id=petition_id, id__lte=rows[-1][0]).delete()
        touched: dict[int, str] = {}
        for _id, signature_id, reason in rows:
            touched[signature_id] = reason or touched.get(signature_id, "")
        appender = Appender(ledger)
        catch_up(appender, touched, timezone.now())
        appender.save()
    return len(rows)


def append_pending(drain: bool = True) -> int:
    """Append every petition's waiting events (without `drain`, one batch per petition);
    returns how many were taken."""
    taken = 0
    for petition_id in list(Pending.objects.values_list("petition_id", flat=True).distinct()):
        while found := append_petition(petition_id):
            taken += found
            if found < BATCH or not drain:
                break
    return taken


def build(petition: Petition, chunk: int = 10_000) -> int:
    """Append a confirmation for every counted signature the ledger does not know, in the order
    they were confirmed: the way in for signatures that predate the ledger. Returns how many.

    Run once per petition when the ledger is installed: it believes the database, so what it
    finds then enters the ledger as genuine.
    """
    added = 0
    last = 0
    while True:
        with transaction.atomic():
            ledger = locked_ledger(petition.pk)
            known = Salt.objects.filter(ledger=ledger).values("signature_id")
            rows = list(
                Signature.objects.confirmed()
                .filter(petition=petition, pk__gt=last)
                .exclude(pk__in=known)
                .order_by("pk")
                .values_list("pk", "email", "confirmed_at", "anonymised_at")[:chunk]
            )
            if not rows:
                return added
            appender = Appender(ledger)
            now = timezone.now()
            for pk, email, confirmed_at, anonymised_at in rows:
                appender.confirm(pk, "" if anonymised_at else email, confirmed_at or now)
            appender.save()
        added += len(rows)
        last = rows[-1][0]


def sign_head(ledger: Ledger) -> Head:
    """Sign the ledger's current state (locked by the caller)."""
    root = merkle.root(merkle.unpack(bytes(ledger.frontier)))
    timestamp = int(time.time() * 1000)
    message = keys.head_message(ledger.log_id, ledger.size, ledger.count, root, timestamp)
    head = Head.objects.create(
        ledger=ledger,
        size=ledger.size,
        count=ledger.count,
        root=root,
        timestamp=timestamp,
        signature=keys.sign(message),
    )
    Ledger.objects.filter(pk=ledger.pk).update(signed_size=ledger.size)
    return head


def sign_heads(petition_ids: Iterable[int] | None = None) -> int:
    """A new head for every ledger that grew since its last one; returns how many."""
    grown = Ledger.objects.exclude(size=F("signed_size"))
    if petition_ids is not None:
        grown = grown.filter(petition_id__in=list(petition_ids))
    signed = 0
    for pk in grown.values_list("pk", flat=True):
        with transaction.atomic():
            ledger = Ledger.objects.select_for_update().get(pk=pk)
            if ledger.size != ledger.signed_size:
                sign_head(ledger)
                signed += 1
    return signed


def forget_salts(petition: Petition, signature_ids: list[int] | None) -> int:
    """Destroy the salts of these signatures (None: all of the petition's), so their leaves
    can no longer be linked to an address."""
    salts = Salt.objects.filter(ledger__petition=petition, salt__isnull=False)
    if signature_ids is not None:
        salts = salts.filter(signature_id__in=signature_ids)
    return salts.update(salt=None)


def note(petition_id: int, signature_ids: Iterable[int], reason: str = "") -> None:
    """Queue signatures whose standing may have changed, in the caller's transaction."""
    Pending.objects.bulk_create(
        [Pending(petition_id=petition_id, signature_id=pk, reason=reason) for pk in signature_ids],
        batch_size=2000,
    )
