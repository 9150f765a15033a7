"""Signatures, and the invalidations that take them out of the count."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from firma.petitions.models.petitions import Petition

COUNTED = Q(status="confirmed", invalidation__isnull=True)
# The signers in the public list (SignatureQuerySet.listed).
LISTED = COUNTED & Q(public=True, hidden=False)
# The organisations whose endorsement the organisers verified, shown on the page.
ENDORSED = COUNTED & Q(kind="organisation", verification="verified")


def at_domain(email_domain: str, website: str) -> bool:
    host = urlsplit(website).hostname or ""
    host = host.removeprefix("www.")
    domain = email_domain.lower()
    return bool(host) and (domain == host or domain.endswith("." + host))


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
        """Confirmed individual signers who asked to appear in the public list, and were not
        hidden. Endorsing organisations have a list of their own (endorsed())."""
        return self.confirmed().filter(public=True, hidden=False, kind=Signature.Kind.INDIVIDUAL)

    def endorsements(self) -> "SignatureQuerySet":
        """Signatures given on behalf of an organisation."""
        return self.filter(kind=Signature.Kind.ORGANISATION)

    def to_verify(self) -> "SignatureQuerySet":
        """Confirmed endorsements the organisers have not judged yet."""
        return self.confirmed().endorsements().filter(verification=Signature.Verification.PENDING)

    def public_feed(self) -> "SignatureQuerySet":
        """Everyone the page names: the listed individuals and the endorsing organisations."""
        return self.filter(LISTED & Q(kind=Signature.Kind.INDIVIDUAL) | ENDORSED)

    def endorsed(self) -> "SignatureQuerySet":
        """The organisations shown on the page: confirmed, valid and verified endorsements."""
        return self.confirmed().endorsements().filter(verification=Signature.Verification.VERIFIED)


class Signature(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        ORGANISATION = "organisation", _("Organisation")

    class Verification(models.TextChoices):
        """The organisers' judgement of an endorsement (individual signatures stay pending)."""

        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        DECLINED = "declined", _("Declined")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    full_name = models.CharField(_("full name"), max_length=120)
    affiliation = models.CharField(
        _("organisation / position / occupation"), max_length=200, blank=True
    )
    country = CountryField(_("country / territory"), blank=True, blank_label=_("Choose…"))
    # Validated by the signing form with email-validator (Django's validator refuses some
    # international addresses) and stored lower-cased: one address signs once, however spelt.
    email = models.CharField(_("e-mail"), max_length=254)
    # The mailbox the address reaches (rules.mailboxes): ana+x@gmail.com and a.na@gmail.com
    # are ana@gmail.com. One signature per mailbox; "" once erased.
    mailbox = models.CharField(_("mailbox"), max_length=254, blank=True)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    public = models.BooleanField(_("listed publicly"), default=False)
    # Answers to the petition's own questions (models.Question), by key: text, a list of
    # choices, true or false, a number. Kept when a question is changed or removed.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Hearing about this petition (its updates, delivery and response), and apart from it the
    # news of the organisation behind it: two consents (see consents.ConsentRecord).
    news_opt_in = models.BooleanField(_("hears about this petition"), default=False)
    organisation_news = models.BooleanField(_("wants the organisation's news"), default=False)
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
    # When the last e-mail about this signature (a link, a reminder, a note) was queued: the
    # cool-down (one an hour, whoever asks) counts from it.
    emailed_at = models.DateTimeField(_("last e-mailed"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
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
    # The texts the signer saw (versions.PetitionVersion): what they signed.
    version = models.ForeignKey(
        "PetitionVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("signed version"),
    )
    anonymised_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    # Where the signer came from: the `source` tag of a shared link, and the referring site.
    source = models.CharField(_("source"), max_length=40, blank=True)
    referrer = models.CharField(_("referring site"), max_length=255, blank=True)
    # The partner whose share link or embed brought the signer (?via=).
    partner = models.ForeignKey(
        "Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("brought by partner"),
    )
    paper = models.BooleanField(
        _("paper signature"), default=False, help_text=_("Collected on paper and imported.")
    )
    comment_hidden = models.BooleanField(
        _("comment hidden"),
        default=False,
        help_text=_("The comment is not shown in the public list."),
    )

    # Signing on behalf of an organisation (an endorsement): the signer is full_name, and
    # `affiliation` repeats their position and the organisation for every list of signers.
    kind = models.CharField(
        _("signing as"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_position = models.CharField(
        _("position in the organisation"), max_length=120, blank=True
    )
    organisation_website = models.CharField(_("organisation's website"), max_length=255, blank=True)
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    verification_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    # Recorded through a partner's form whose own double opt-in the organisation trusts
    # (an API token marked "confirmed upstream"): counted without firma's e-mail.
    confirmed_upstream = models.BooleanField(_("confirmed upstream"), default=False)

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
            # The same person through a variant of their address (rules.mailboxes).
            models.UniqueConstraint(
                fields=["petition", "mailbox"],
                condition=~models.Q(mailbox=""),
                name="one_signature_per_mailbox",
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
            models.Index(
                fields=["petition", "country"], condition=ENDORSED, name="signature_endorsed"
            ),
        ]

    def __str__(self) -> str:
        # No personal data: this is what the admin's log keeps (object_repr) and shows.
        return _("signature %(number)s") % {"number": self.pk}

    @property
    def address_at_website(self) -> bool:
        """Whether the e-mail address is at the domain of the organisation's website (or under
        it): a hint, for the organisers, that the endorsement comes from the organisation."""
        return at_domain(self.email_domain, self.organisation_website)


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
