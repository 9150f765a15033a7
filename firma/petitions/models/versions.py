"""What was signed: the petition's title and text in each language, and its targets, as they
stood."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from firma.petitions.models.petitions import Petition


class PetitionVersion(models.Model):
    """The texts and targets of a petition from `created_at` until the next version. The first
    is taken with the first signature; each change after that adds one (versions.services)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    # {language: {"title": …, "body": …}}
    texts = models.JSONField(_("texts"))
    # [{"name": …, "role": …, "roles": {language: role}, "country": …}], in their order.
    targets = models.JSONField(_("targets"), default=list, blank=True)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["petition", "-number"]
        verbose_name = _("version of the text")
        verbose_name_plural = _("versions of the text")
        constraints = [
            models.UniqueConstraint(fields=["petition", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} v{self.number}"
