"""Updates to signers: written in the workspace, published on the page, e-mailed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Update(models.Model):
    """News from the organisers, e-mailed to the confirmed signers who asked for news and shown
    on the petition page."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")

    petition = models.ForeignKey(
        "petitions.Petition", on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")

    def __str__(self) -> str:
        text = self.texts.first()
        return text.subject if text else f"{self.petition} #{self.pk}"


class UpdateText(models.Model):
    """An update in one language."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["update", "language"], name="one_update_text_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.language})"


class UpdateDelivery(models.Model):
    """One update sent to one signer: the row that makes sure nobody gets it twice."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="deliveries")
    signature = models.ForeignKey("petitions.Signature", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["update", "signature"], name="one_delivery_per_signer"),
        ]

    def __str__(self) -> str:
        return f"{self.update_id} → {self.signature_id}"
