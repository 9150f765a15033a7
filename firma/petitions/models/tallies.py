"""The counts, kept without a hot row (see firma.petitions.counting)."""

from django.db import models
from django.utils import timezone

from firma.petitions.models.petitions import Petition


class Tally(models.Model):
    """Confirmed, valid signatures of a petition in one country ("" for none), up to the last
    fold of the changes (see counting.py)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    country = models.CharField(max_length=2, blank=True)
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "country"], name="one_tally_per_country"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.country or '-'}: {self.total}"


class TallyChange(models.Model):
    """A change to a tally not folded into it yet: appended, never updated, so that signing
    never waits on a shared row."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    country = models.CharField(max_length=2, blank=True)
    delta = models.IntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["petition", "country"])]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.country or '-'}: {self.delta:+}"
