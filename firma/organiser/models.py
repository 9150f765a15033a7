from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A union, NGO or campaign running petitions. Its members see only its petitions."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")
        MODERATOR = "moderator", _("Moderator")
        VIEWER = "viewer", _("Viewer")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_membership_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"


class AuditEntry(models.Model):
    """Who did what to which petition or signature, and when: the moderation log."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    petition = models.ForeignKey(
        "petitions.Petition", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    signature_id = models.BigIntegerField(_("signature"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=40)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.action}"


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
