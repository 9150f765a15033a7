"""The milestones a petition has reached, each announced once."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Milestone(models.Model):
    """A count a petition has reached (100, 1,000, … and its goal), noted once."""

    petition = models.ForeignKey(
        "petitions.Petition", on_delete=models.CASCADE, related_name="milestones"
    )
    number = models.PositiveBigIntegerField(_("signatures"))
    reached_at = models.DateTimeField(_("reached"), default=timezone.now)

    class Meta:
        ordering = ["number"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["petition", "number"], name="one_milestone_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.petition}: {self.number}"
