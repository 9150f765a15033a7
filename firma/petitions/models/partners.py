"""The organisations a petition is launched with. The consents signers give them are
ConsentRecords (choice "partner")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from firma.petitions.models.petitions import Petition


class Partner(models.Model):
    """An organisation that runs the petition with its organisers: one of this site's
    organisations, or an outside one named here. Its slug tags its share links (?via=)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "organiser.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("organisation on this site"),
        help_text=_("Its members with the partner role see this partner's signatures."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=40,
        help_text=_("Tags the partner's share link (?via=…). Made from the name when empty."),
    )
    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), max_length=500, blank=True)
    privacy_url = models.URLField(_("privacy notice"), max_length=500, blank=True)
    opt_in = models.BooleanField(
        _("offers its own consent"),
        default=False,
        help_text=_("Signers may tick a box to hear from this partner; it needs a privacy notice."),
    )
    # The logo as firma re-encoded it (PNG, without metadata): served by firma itself.
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    # A digest of the logo, in its address: a new logo is never hidden by a cached old one.
    logo_version = models.CharField(_("logo version"), max_length=16, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["petition", "slug"], name="one_partner_per_slug"),
        ]

    def __str__(self) -> str:
        return self.name
