import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A key an organisation's own software uses to read its signatures, or to edit its
    petitions. Only a SHA-256 hash of the token is kept: it is shown once, when created."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        READ_WRITE = "read-write", _("Read and write")

    organisation = models.ForeignKey(
        "organiser.Organisation",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What uses it, such as “CRM sync”.")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("secret hash"), max_length=64, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    records_signatures = models.BooleanField(
        _("records signatures"),
        default=False,
        help_text=_(
            "May send signatures from a partner's own form (the OSDI record signature helper)."
        ),
    )
    confirmed_upstream = models.BooleanField(
        _("confirmed upstream"),
        default=False,
        help_text=_(
            "The partner's form confirms each address itself: its signatures count at once, "
            "without firma's confirmation e-mail, and are marked so."
        ),
    )
    # A token a partner's own form uses: the signatures it records are attributed to the
    # partner, as those its share links bring are. It records them for that petition only.
    partner = models.ForeignKey(
        "petitions.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("partner"),
        help_text=_(
            "Signatures recorded with this token are attributed to this partner of one of "
            "the organisation's petitions, and recorded for that petition only."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE


class IdempotentRequest(models.Model):
    """A request sent with an Idempotency-Key, and the answer it got: the same key from the
    same token gets that answer again, and changes nothing."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=200)
    # 0 while the first request with the key is being answered.
    status_code = models.PositiveSmallIntegerField(_("status"), default=0)
    body = models.JSONField(_("answer"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="one_answer_per_key"),
        ]

    def __str__(self) -> str:
        return self.key


class Event(models.TextChoices):
    """What a webhook can be told about."""

    SIGNATURE_CONFIRMED = "signature.confirmed", _("A signature was confirmed")
    SIGNATURE_INVALIDATED = "signature.invalidated", _("Signatures were invalidated")
    SIGNATURE_DELETED = "signature.deleted", _("A signer deleted their signature")
    PETITION_MILESTONE = "petition.milestone", _("A petition reached a milestone")
    PETITION_CLOSED = "petition.closed", _("A petition closed")
    RESPONSE_PUBLISHED = "response.published", _("A response was published")
    PETITION_OUTCOME = "petition.outcome", _("A petition's outcome was recorded")
    PETITION_DELIVERED = "petition.delivered", _("A petition was delivered to its targets")
    TEST = "webhook.test", _("Test delivery")


class Webhook(models.Model):
    """An address of the organisation's that firma POSTs signed JSON to when events happen."""

    organisation = models.ForeignKey(
        "organiser.Organisation",
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("URL"), max_length=500, help_text=_("Receives POST requests."))
    secret = models.CharField(
        _("signing secret"),
        max_length=64,
        editable=False,
        help_text=_("Checks the X-Firma-Signature header of each request; see docs/api.md."),
    )
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation", "url"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        if event == Event.SIGNATURE_DELETED:
            # Whoever was sent a signer's data is told when the signer takes it back.
            return self.active and bool({event, Event.SIGNATURE_CONFIRMED} & set(self.events))
        return self.active and (event in self.events or event == Event.TEST)


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one webhook, with the receiver's last answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    # Sent as X-Firma-Delivery and in the body: receivers drop a delivery they have seen.
    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_code = models.PositiveIntegerField(_("last response code"), null=True, blank=True)
    response_excerpt = models.CharField(_("last response"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    # The signer whose personal data the payload holds, so that it can be removed when the
    # signer's data is erased or deleted; and when it was (also once delivered or given up).
    signature = models.ForeignKey(
        "petitions.Signature",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("signature"),
    )
    redacted_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook}"
