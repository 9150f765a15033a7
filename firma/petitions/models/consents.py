"""Provable consent: each choice a signer made, with the words they were shown."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from firma.petitions.models.signatures import Signature


class ConsentWording(models.Model):
    """The exact text a consent was given or withdrawn under, kept once for every record that
    shares it and named by its SHA-256."""

    digest = models.CharField(_("SHA-256"), max_length=64, primary_key=True)
    text = models.TextField(_("wording"))
    created_at = models.DateTimeField(_("first shown"), default=timezone.now)

    class Meta:
        verbose_name = _("consent wording")
        verbose_name_plural = _("consent wordings")

    def __str__(self) -> str:
        return self.digest[:12]


class ConsentRecordQuerySet(models.QuerySet):
    def latest_per_choice(self) -> dict[tuple[str, int | None], "ConsentRecord"]:
        """The record in force for each choice (and partner, for a partner's consent): the
        last one given or withdrawn."""
        latest: dict[tuple[str, int | None], ConsentRecord] = {}
        for record in self.order_by("created_at", "pk"):
            latest[(record.choice, record.partner_id)] = record
        return latest


class ConsentRecord(models.Model):
    """One consent given or withdrawn. Records are only added: a withdrawal is a new record,
    and the history goes only with the signature (deleted, or erased after retention)."""

    class Choice(models.TextChoices):
        PRIVACY = "privacy", _("Signing under the privacy notice")
        LISTING = "listing", _("Being listed publicly")
        PETITION_NEWS = "petition_news", _("Hearing about this petition")
        ORGANISATION_NEWS = "organisation_news", _("The organisation's news")
        PARTNER = "partner", _("Hearing from a partner")

    class Channel(models.TextChoices):
        PAGE = "page", _("petition page")
        EMBED = "embed", _("embedded form")
        API = "api", _("API")
        PAPER = "paper", _("paper import")
        SELF_SERVICE = "self_service", _("signer's private page")
        UNSUBSCRIBE = "unsubscribe", _("unsubscribe link")
        ORGANISER = "organiser", _("organisers, at the signer's request")

    signature = models.ForeignKey(Signature, on_delete=models.CASCADE, related_name="consents")
    choice = models.CharField(_("consent"), max_length=20, choices=Choice.choices)
    # Which partner, for a consent to hear from one. A partner that signers' records name is
    # not deleted under them; the petition and the signature still are (RESTRICT, unlike
    # PROTECT, lets their cascades through).
    partner = models.ForeignKey(
        "Partner",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("partner"),
    )
    given = models.BooleanField(_("given"))
    # None only for records migrated from before wordings were kept.
    wording = models.ForeignKey(
        ConsentWording,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("wording"),
    )
    language = models.CharField(_("language"), max_length=10)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    migrated = models.BooleanField(
        _("migrated"),
        default=False,
        help_text=_("Recorded from an opt-in stored before consents were kept with their wording."),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [
            models.Index(fields=["signature", "created_at"], name="consent_by_signature"),
            models.Index(fields=["partner", "signature"], name="consent_by_partner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(choice="partner", partner__isnull=False)
                | (~models.Q(choice="partner") & models.Q(partner__isnull=True)),
                name="partner_consent_names_its_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.choice} {'yes' if self.given else 'no'}"
