"""Reading the ledger: heads, leaves, proofs, and a signer's own proof."""

from datetime import UTC, datetime

from firma.ledger import keys, merkle
from firma.ledger.models import Head, Leaf, Ledger, Node, Salt
from firma.petitions.models import Petition, Signature

MAX_LEAVES = 1000
MAX_HEADS = 1000


def ledger_of(petition: Petition) -> Ledger | None:
    return Ledger.objects.filter(petition=petition).first()


def represent(head: Head, log_id: str) -> dict:
    when = datetime.fromtimestamp(head.timestamp / 1000, tz=UTC)
    return {
        "ledger": log_id,
        "size": head.size,
        "count": head.count,
        "root": bytes(head.root).hex(),
        "timestamp": head.timestamp,
        "time": when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{head.timestamp % 1000:03d}Z",
        "signature": bytes(head.signature).hex(),
    }


def latest_head(petition: Petition) -> dict | None:
    """The petition's latest signed tree head: ledger (its id), size, count, root (hex),
    timestamp (ms), time (ISO 8601), signature (hex, Ed25519); None before the first."""
    ledger = ledger_of(petition)
    head = ledger and Head.objects.filter(ledger=ledger).order_by("-size", "-timestamp").first()
    return represent(head, ledger.log_id) if head else None


def heads(petition: Petition, start: int = 0, limit: int = MAX_HEADS) -> list[dict]:
    """Every signed head, oldest first, from the `start`-th."""
    ledger = ledger_of(petition)
    if ledger is None:
        return []
    rows = Head.objects.filter(ledger=ledger).order_by("size", "timestamp", "pk")
    return [represent(head, ledger.log_id) for head in rows[start : start + limit]]


def leaves(petition: Petition, start: int, end: int) -> list[dict]:
    """The leaves [start, end) (at most MAX_LEAVES), each with the exact text that is hashed."""
    ledger = ledger_of(petition)
    if ledger is None:
        return []
    end = min(end, start + MAX_LEAVES, ledger.size)
    rows = (
        Leaf.objects.filter(ledger=ledger, index__gte=start, index__lt=end)
        .order_by("index")
        .values_list("index", "entry")
    )
    return [{"index": index, "entry": entry} for index, entry in rows]


def fetcher(ledger: Ledger):
    """Reads the perfect subtrees a proof needs, leaves and nodes, in two queries at most."""

    def fetch(keys_: set[merkle.Key]) -> dict[merkle.Key, bytes]:
        found: dict[merkle.Key, bytes] = {}
        leaf_indexes = [index for level, index in keys_ if level == 0]
        if leaf_indexes:
            rows = Leaf.objects.filter(ledger=ledger, index__in=leaf_indexes)
            found.update(((0, i), bytes(h)) for i, h in rows.values_list("index", "hash"))
        by_level: dict[int, list[int]] = {}
        for level, index in keys_:
            if level:
                by_level.setdefault(level, []).append(index)
        # One SELECT per level, joined by UNION ALL into one statement: each part is a lookup
        # in the (ledger, level, index) index, where an OR of pairs would scan the ledger.
        parts = [
            Node.objects.filter(ledger=ledger, level=level, index__in=indexes)
            .values_list("level", "index", "hash")
            .order_by()
            for level, indexes in sorted(by_level.items())
        ]
        if parts:
            rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
            found.update(((level, i), bytes(h)) for level, i, h in rows)
        return found

    return fetch


def consistency(petition: Petition, first: int, second: int) -> list[str] | None:
    """PROOF(first, second) in hex, or None if the ledger is smaller than `second`."""
    ledger = ledger_of(petition)
    size = ledger.size if ledger else 0
    if not 0 <= first <= second <= size:
        return None
    return [h.hex() for h in merkle.consistency_proof(first, second, fetcher(ledger))]


def inclusion(petition: Petition, index: int, size: int) -> list[str] | None:
    """The audit path of leaf `index` in the tree of `size` leaves, or None if there is none."""
    ledger = ledger_of(petition)
    if ledger is None or not 0 <= index < size <= ledger.size:
        return None
    return [h.hex() for h in merkle.inclusion_proof(index, size, fetcher(ledger))]


def public_key() -> dict:
    key = keys.public_key()
    return {"algorithm": "Ed25519", "public_key": key.hex(), "head_prefix": "firma-ledger-head:v1"}


def signer_proof(signature: Signature) -> dict | None:
    """What a signer needs to show their signature is in the ledger: their leaf, the salt that
    ties it to their address, the latest head and the leaf's inclusion proof under it. None
    while the ledger has not recorded the signature yet."""
    salt = Salt.objects.filter(signature_id=signature.pk).select_related("ledger").first()
    if salt is None:
        return None
    ledger = salt.ledger
    leaf = Leaf.objects.get(ledger=ledger, index=salt.first_leaf)
    head = latest_head(signature.petition)
    signed = head is not None and salt.first_leaf < head["size"]
    path = merkle.inclusion_proof(salt.first_leaf, head["size"], fetcher(ledger)) if signed else []
    return {
        "petition": signature.petition.slug,
        "signature": signature.pk,
        "email": signature.email,
        "salt": bytes(salt.salt).hex() if salt.salt is not None else None,
        "digest": bytes(salt.digest).hex(),
        "standing": salt.standing,
        "leaf": {"index": leaf.index, "entry": leaf.entry},
        "head": head if signed else None,
        "inclusion": [h.hex() for h in path],
        "public_key": keys.public_key().hex(),
    }
