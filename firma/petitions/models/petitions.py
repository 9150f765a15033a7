"""Petitions and their texts in each language."""

import contextlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN

from firma.petitions.rules import donations, reminders
from firma.petitions.rules.donations import (
    parse_amounts,
    validate_alias,
    validate_amounts,
    validate_bic,
    validate_cbu,
    validate_currency,
    validate_iban,
)


class FieldSetting(models.TextChoices):
    """Whether an optional part of the signing form is asked for."""

    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")
    HIDDEN = "hidden", _("Not asked")


class Outcome(models.TextChoices):
    """What came of a petition, as its organisers record it."""

    WON = "won", _("Won")
    PARTLY_WON = "partly_won", _("Partly won")
    REJECTED = "rejected", _("Rejected")
    NO_RESPONSE = "no_response", _("No response")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PetitionQuerySet(models.QuerySet):
    def public(self) -> "PetitionQuerySet":
        """Petitions anyone may read: open, closed or archived, never drafts."""
        return self.exclude(status=Petition.Status.DRAFT)

    def open(self) -> "PetitionQuerySet":
        """Petitions taking signatures: open, and not past their closing date."""
        not_past = Q(closes_on__isnull=True) | Q(closes_on__gte=timezone.localdate())
        return self.filter(not_past, status=Petition.Status.OPEN)


class Petition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class Challenge(models.TextChoices):
        """When signers must solve a proof-of-work puzzle (see SIGNING_CHALLENGE)."""

        AUTO = "auto", _("When signing looks like an attack")
        ON = "on", _("Always")
        OFF = "off", _("Never")

    organisation = models.ForeignKey(
        "organiser.Organisation",
        on_delete=models.PROTECT,
        related_name="petitions",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    default_language = models.CharField(
        _("default language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Shown when no translation matches the reader's language."),
    )
    goal = models.PositiveIntegerField(_("goal"), null=True, blank=True)
    closes_on = models.DateField(_("closing date"), null=True, blank=True)

    organization_field = models.CharField(
        _("organisation / position field"),
        max_length=10,
        choices=FieldSetting.choices,
        default=FieldSetting.REQUIRED,
    )
    country_field = models.CharField(
        _("country field"),
        max_length=10,
        choices=FieldSetting.choices,
        default=FieldSetting.REQUIRED,
    )
    comment_field = models.CharField(
        _("comment field"),
        max_length=10,
        choices=FieldSetting.choices,
        default=FieldSetting.OPTIONAL,
    )

    donation_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    donation_iban = models.CharField(
        _("IBAN"), max_length=42, blank=True, validators=[validate_iban]
    )
    donation_bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    donation_reference = models.CharField(_("transfer reference"), max_length=140, blank=True)
    # Argentine accounts are not in the IBAN system: a CBU (banks) or CVU (wallets), or an alias.
    donation_cbu = models.CharField(
        _("CBU or CVU"),
        max_length=30,
        blank=True,
        validators=[validate_cbu],
        help_text=_("For donations from Argentina: the account's 22 digits."),
    )
    donation_alias = models.CharField(
        _("CBU/CVU alias"), max_length=20, blank=True, validators=[validate_alias]
    )
    donation_amounts = models.CharField(
        _("suggested amounts"),
        max_length=200,
        blank=True,
        validators=[validate_amounts],
        help_text=_("Separated by commas, like: 10, 25, 50"),
    )
    # Blank is allowed so that forms which leave it out keep working; it is saved as EUR.
    donation_currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        default=donations.DEFAULT_CURRENCY,
        validators=[validate_currency],
        help_text=_("Of the suggested amounts and the account: an ISO 4217 code, like EUR."),
    )

    challenge = models.CharField(
        _("proof-of-work challenge"),
        max_length=10,
        choices=Challenge.choices,
        default=Challenge.AUTO,
    )
    retention_days = models.PositiveIntegerField(
        _("days to keep signers' data after closing"),
        default=settings.RETENTION_DAYS,
        help_text=_("Then names, e-mails and comments are erased; the counts stay."),
    )

    reminder_hours = models.CharField(
        _("reminders, in hours after signing"),
        max_length=20,
        blank=True,
        default=reminders.DEFAULT,
        validators=[reminders.validate],
        help_text=_(
            "When signers who have not confirmed are reminded: up to two numbers of hours, "
            "like 24 or 24, 72. Empty: no reminder."
        ),
    )

    allow_embedding = models.BooleanField(
        _("may be embedded in other sites"),
        default=False,
        help_text=_("Lets other websites show this petition's signing form in a frame."),
    )

    deliver_at = models.PositiveIntegerField(
        _("deliver at"),
        null=True,
        blank=True,
        help_text=_("The organisers are told when the confirmed count reaches this number."),
    )
    auto_deliver = models.BooleanField(
        _("deliver automatically"),
        default=False,
        help_text=_("E-mail the targets with an address as soon as the count is reached."),
    )
    response_days = models.PositiveSmallIntegerField(
        _("days to answer"),
        null=True,
        blank=True,
        help_text=_("After a delivery, the page says which targets have not answered in time."),
    )
    deliver_unlisted_names = models.BooleanField(
        _("deliver the names of signers who are not listed"),
        default=False,
        help_text=_("Otherwise targets get their count, never their names."),
    )
    threshold_reached_at = models.DateTimeField(_("delivery count reached"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField(_("about the outcome"), max_length=1000, blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("signers' data erased"), null=True, blank=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        """Taking signatures: open, and not past the closing date (the last day still counts)."""
        if self.closes_on and self.closes_on < timezone.localdate():
            return False
        return self.status == self.Status.OPEN

    def change_status(self, status: str) -> None:
        """Set the status, noting when the petition closed: retention counts from then."""
        # An archived petition stays closed since the day it closed.
        ended = (self.Status.CLOSED, self.Status.ARCHIVED)
        if status in ended and (self.status not in ended or not self.closed_at):
            self.closed_at = timezone.now()
        elif status not in ended:
            self.closed_at = None
        self.status = status

    def clean(self) -> None:
        # After the validators, which accept what people type: spaces, lower case.
        self.donation_iban = donations.compact_code(self.donation_iban)
        self.donation_bic = donations.compact_code(self.donation_bic)
        self.donation_cbu = donations.compact_cbu(self.donation_cbu)
        self.donation_alias = donations.normalise_alias(self.donation_alias)
        self.donation_amounts = donations.normalise_amounts(self.donation_amounts)
        self.donation_currency = donations.normalise_currency(self.donation_currency)
        with contextlib.suppress(ValidationError):  # the field's validator reports it
            self.reminder_hours = reminders.normalise(self.reminder_hours)

    @property
    def reminder_schedule(self) -> list[int]:
        """The hours after signing at which an unconfirmed signer is reminded."""
        return reminders.parse(self.reminder_hours)

    @property
    def has_donations(self) -> bool:
        return bool(self.donation_iban or self.donation_cbu or self.donation_alias)

    @property
    def formatted_iban(self) -> str:
        return IBAN(self.donation_iban).formatted if self.donation_iban else ""

    @property
    def donation_in_sepa(self) -> bool:
        """The account takes SEPA transfers: it is in the SEPA area, and takes euros."""
        return (
            bool(self.donation_iban)
            and self.donation_currency == donations.EURO
            and IBAN(self.donation_iban).in_sepa_zone
        )

    @property
    def suggested_amounts(self) -> list[Decimal]:
        return parse_amounts(self.donation_amounts)

    def text_for(self, language: str) -> "PetitionText":
        """The text in `language`, else in the default language, else any text."""
        texts = {text.language: text for text in self.texts.all()}
        return (
            texts.get(language)
            or texts.get(self.default_language)
            or next(iter(texts.values()), None)
            or PetitionText(petition=self, language=self.default_language, title=self.slug)
        )


class PetitionText(models.Model):
    """The title and body of a petition in one language."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    donation_note = models.TextField(
        _("donation note"),
        max_length=1000,
        blank=True,
        help_text=_("Plain text shown with the bank details, in this language."),
    )

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["petition", "language"], name="one_text_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


# The signatures that count, as a condition for partial indexes.
