"""What the background tasks have sent."""

from django.db import models
from django.utils import timezone


class SentEmail(models.Model):
    """A background task's e-mail that left firma: a task run again after its worker died
    finds it here and does not send it twice."""

    task_id = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.task_id


class Suppression(models.Model):
    """An address that said "this wasn't me" to a petition's confirmation e-mail: the petition
    sends it nothing more. Kept as a keyed hash (mail.suppression.address_key), never the
    address, so the list reveals nobody's address even to someone who reads the database."""

    petition = models.ForeignKey(
        "petitions.Petition", on_delete=models.CASCADE, related_name="suppressions"
    )
    address_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "address_key"], name="one_suppression_per_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.address_key[:12]}…"
