from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from schwifty import IBAN

from firma.petitions import donations
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

    allow_embedding = models.BooleanField(
        _("may be embedded in other sites"),
        default=False,
        help_text=_("Lets other websites show this petition's signing form in a frame."),
    )

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

    def signature_count(self) -> int:
        """Confirmed, valid signatures, from the tallies (exact within COUNT_CACHE_SECONDS)."""
        from firma.petitions import counting

        return counting.total(self)

    def counts_by_country(self) -> list[tuple[str, int]]:
        """(alpha-2 code, confirmed signatures), largest first."""
        from firma.petitions import counting

        return counting.by_country(self)


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
COUNTED = Q(status="confirmed", invalidation__isnull=True)
# The signers in the public list (SignatureQuerySet.listed).
LISTED = COUNTED & Q(public=True, hidden=False)


class SignatureQuerySet(models.QuerySet):
    def valid(self) -> "SignatureQuerySet":
        """Not invalidated by an organiser."""
        return self.filter(invalidation__isnull=True)

    def confirmed(self) -> "SignatureQuerySet":
        """The signatures that count: confirmed and valid."""
        return self.valid().filter(status=Signature.Status.CONFIRMED)

    def pending(self) -> "SignatureQuerySet":
        return self.valid().filter(status=Signature.Status.PENDING)

    def invalidated(self) -> "SignatureQuerySet":
        return self.filter(invalidation__isnull=False)

    def suspicious(self) -> "SignatureQuerySet":
        return self.exclude(flags="")

    def listed(self) -> "SignatureQuerySet":
        """Confirmed signers who asked to appear in the public list, and were not hidden."""
        return self.confirmed().filter(public=True, hidden=False)


class Signature(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    full_name = models.CharField(_("full name"), max_length=120)
    organization = models.CharField(
        _("organisation / position / occupation"), max_length=200, blank=True
    )
    country = CountryField(_("country / territory"), blank=True, blank_label=_("Choose…"))
    # Validated by the signing form with email-validator (Django's validator refuses some
    # international addresses) and stored lower-cased: one address signs once, however spelt.
    email = models.CharField(_("e-mail"), max_length=254)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    public = models.BooleanField(_("listed publicly"), default=False)
    news_opt_in = models.BooleanField(_("wants news"), default=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    hidden = models.BooleanField(
        _("hidden from the public list"),
        default=False,
        help_text=_("Still counted, but not shown by name."),
    )
    created_at = models.DateTimeField(_("signed"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    email_error = models.CharField(
        _("e-mail delivery error"),
        max_length=500,
        blank=True,
        help_text=_("Why the last e-mail to this address could not be delivered."),
    )

    # Signals to judge a signature by. The IP address itself is never stored.
    ip_hash = models.CharField(_("IP hash"), max_length=64, blank=True, db_index=True)
    user_agent_family = models.CharField(_("browser"), max_length=40, blank=True)
    email_domain = models.CharField(_("e-mail domain"), max_length=255, blank=True, db_index=True)
    fill_seconds = models.PositiveIntegerField(_("seconds to fill the form"), null=True, blank=True)
    challenge_used = models.BooleanField(_("solved a challenge"), default=False)
    flags = models.CharField(
        _("flags"),
        max_length=200,
        blank=True,
        help_text=_("Why the signature looks suspicious, space-separated."),
    )
    invalidation = models.ForeignKey(
        "Invalidation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("invalidated by"),
    )
    anonymised_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    # Where the signer came from: the `source` tag of a shared link, and the referring site.
    source = models.CharField(_("source"), max_length=40, blank=True)
    referrer = models.CharField(_("referring site"), max_length=255, blank=True)
    paper = models.BooleanField(
        _("paper signature"), default=False, help_text=_("Collected on paper and imported.")
    )
    comment_hidden = models.BooleanField(
        _("comment hidden"),
        default=False,
        help_text=_("The comment is not shown in the public list."),
    )

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            # Erased signatures keep no address, so they are left out of the rule.
            models.UniqueConstraint(
                fields=["petition", "email"],
                condition=~models.Q(email=""),
                name="one_signature_per_email",
            ),
        ]
        indexes = [
            models.Index(fields=["petition", "status", "country"]),
            models.Index(fields=["petition", "status", "-confirmed_at"]),
            # For the organiser's dashboard (firma/organiser/dashboard/views.py): each of its
            # figures reads one of these, never the signatures themselves.
            models.Index(fields=["petition", "created_at"], name="signature_recent"),
            models.Index(fields=["petition"], condition=~Q(flags=""), name="signature_suspicious"),
            models.Index(
                fields=["petition", "language"], condition=COUNTED, name="signature_counted_lang"
            ),
            models.Index(
                fields=["petition", "source"], condition=COUNTED, name="signature_counted_source"
            ),
            models.Index(
                fields=["petition", "referrer"], condition=COUNTED, name="signature_counted_ref"
            ),
            models.Index(
                fields=["petition", "confirmed_at"],
                condition=COUNTED,
                name="signature_counted_time",
            ),
            # The public list, newest first, on the page and in the API: read in index order
            # and stopped after a page, whatever the planner's statistics say (a petition
            # that went from nothing to a million in an hour has statistics of the nothing).
            models.Index(
                fields=["petition", "-confirmed_at", "-id"],
                condition=LISTED,
                name="signature_listed",
            ),
            models.Index(fields=["petition", "-id"], condition=LISTED, name="signature_listed_id"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Invalidation(models.Model):
    """One bulk invalidation by an organiser: what was matched, by whom; undone as a whole."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="invalidations")
    description = models.CharField(_("filter"), max_length=500)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invalidation")
        verbose_name_plural = _("invalidations")

    def __str__(self) -> str:
        return f"{self.petition}: {self.description}"


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


class SentEmail(models.Model):
    """A background task's e-mail that left firma: a task run again after its worker died
    finds it here and does not send it twice."""

    task_id = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.task_id
