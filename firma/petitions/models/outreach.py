"""Whom a petition is addressed to, its deliveries to them, and their responses."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from firma.petitions.models.petitions import Petition


class Target(models.Model):
    """A person or body the petition asks to act, like "Minister of Security"."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    # The role in the petition's other languages: {"es": "Ministra de Seguridad", …}.
    role_translations = models.JSONField(_("role in other languages"), default=dict, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    country = CountryField(_("country"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name

    def role_in(self, language: str) -> str:
        return self.role_translations.get(language) or self.role


class DeliveryQuerySet(models.QuerySet):
    def by_email(self) -> "DeliveryQuerySet":
        return self.filter(method=Delivery.Method.EMAIL)


class Delivery(models.Model):
    """The petition put in front of its targets: by e-mail through firma, or recorded after
    it was handed over some other way."""

    class Method(models.TextChoices):
        EMAIL = "email", _("By e-mail, through this site")
        OFFLINE = "offline", _("In person or by post")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="deliveries")
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    targets = models.ManyToManyField(
        Target, through="DeliveryRecipient", related_name="deliveries", verbose_name=_("targets")
    )
    delivered_at = models.DateTimeField(_("delivered"), default=timezone.now)
    signature_count = models.PositiveIntegerField(_("signatures at delivery"))
    # {"AR": 1200, "": 40, …}: the confirmed count by country when it was delivered.
    counts_by_country = models.JSONField(_("signatures by country"), default=dict, blank=True)
    message = models.TextField(_("covering message"), max_length=5000, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The public ledger's signed tree head at delivery, when the site keeps one.
    ledger_head = models.JSONField(_("ledger head"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["delivered_at", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.petition} {self.delivered_at:%Y-%m-%d}"


class DeliveryRecipient(models.Model):
    """One target of one delivery, and when its e-mail left."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="recipients")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="recipients")
    sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["delivery", "target"], name="one_recipient_per_target")
        ]

    def __str__(self) -> str:
        return f"{self.delivery} → {self.target}"


class ResponseQuerySet(models.QuerySet):
    def published(self) -> "ResponseQuerySet":
        return self.filter(status=Response.Status.PUBLISHED)

    def pending(self) -> "ResponseQuerySet":
        return self.filter(status=Response.Status.PENDING)


class Response(models.Model):
    """A target's answer, in its own words: organisers publish or decline it, never edit it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the organisers")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Declined")

    class Source(models.TextChoices):
        LINK = "link", _("Through the private link")
        ENTERED = "entered", _("Received elsewhere, entered by the organisers")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="responses")
    target = models.ForeignKey(
        Target, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    delivery = models.ForeignKey(
        Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    text = models.TextField(_("response"), help_text=_("Markdown."))
    document_url = models.URLField(_("link to a document"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # The organisers' translations of the text: {"es": "…"}; the original stays as written.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    received_via = models.CharField(
        _("received by"), max_length=200, blank=True, help_text=_("Like: post, e-mail.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the signers who asked to hear about the petition were sent it.
    signers_notified_at = models.DateTimeField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.petition} {self.received_at:%Y-%m-%d}"

    def text_in(self, language: str) -> str:
        return self.translations.get(language) or self.text
