"""The ledger's tables: the tree of each petition (leaves, perfect-subtree nodes, signed heads),
the per-signature salts that link a leaf to an e-mail address until erasure, and the events
waiting to be appended."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from firma.petitions.models import Petition


def new_log_id() -> str:
    return secrets.token_hex(16)


class Event(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    INVALIDATED = "invalidated", _("Invalidated")
    RESTORED = "restored", _("Restored")
    ERASED = "erased", _("Erased")


class Ledger(models.Model):
    """A petition's tree as it stands: its size, the signatures standing, and the hashes of the
    perfect subtrees it is made of (enough to append without reading any leaf)."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="+")
    # Signed into every head, so that a head cannot be passed off as another petition's.
    log_id = models.CharField(max_length=32, unique=True, default=new_log_id)
    size = models.BigIntegerField(default=0)
    count = models.BigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")
    signed_size = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.size} leaves, {self.count} standing"


class Leaf(models.Model):
    """One event, as the canonical JSON text that is hashed; never changed once written."""

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="+")
    index = models.BigIntegerField()
    # No foreign key: the leaf outlives the signature it was about.
    signature_id = models.BigIntegerField()
    event = models.CharField(max_length=12, choices=Event.choices)
    entry = models.TextField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ledger", "index"], name="one_leaf_per_index"),
        ]

    def __str__(self) -> str:
        return f"{self.ledger_id}#{self.index} {self.event}"


class Node(models.Model):
    """The hash of a perfect subtree of two leaves or more, kept so proofs stay logarithmic."""

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ledger", "level", "index"], name="one_node_per_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ledger_id} {self.level}/{self.index}"


class Head(models.Model):
    """A signed tree head: the root of the first `size` leaves, and the signatures standing."""

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="+")
    size = models.BigIntegerField()
    count = models.BigIntegerField()
    root = models.BinaryField(max_length=32)
    timestamp = models.BigIntegerField(help_text="Milliseconds since the epoch, as in RFC 9162.")
    signature = models.BinaryField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["ledger", "size"])]

    def __str__(self) -> str:
        return f"{self.ledger_id} @{self.size}: {self.count}"


class Salt(models.Model):
    """What the ledger knows of one signature: the salt of its e-mail digest (None once
    erased), whether it stands, and the leaf that first recorded it."""

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="+")
    signature_id = models.BigIntegerField(unique=True)
    salt = models.BinaryField(max_length=16, null=True)
    digest = models.BinaryField(max_length=32)
    standing = models.BooleanField(default=True)
    erased = models.BooleanField(default=False)
    first_leaf = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.signature_id} in {self.ledger_id}"


class Pending(models.Model):
    """A signature whose standing may have changed, to be looked at when the counts fold."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    signature_id = models.BigIntegerField()
    # Why a signature that has gone went: "withdrawn" by the signer, "deleted" by an organiser.
    reason = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.signature_id}"
