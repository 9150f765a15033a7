import time
import unicodedata

from disposable_email_domains import blocklist as disposable_domains
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from email_validator import EmailNotValidError, EmailUndeliverableError, validate_email
from email_validator.deliverability import validate_email_deliverability

from firma.petitions.defences import challenge as challenge
from firma.petitions.models import FieldSetting, Petition, Signature
from firma.petitions.sharing import links as sharing

TIMER_SALT = "firma.petitions.form-timer"


def tidy(text: str) -> str:
    """NFC-normalise and drop control and invisible formatting characters, keeping line breaks."""
    text = unicodedata.normalize("NFC", text)
    return "".join(
        char
        for char in text
        if char in "\n\t" or unicodedata.category(char) not in {"Cc", "Cs", "Co", "Cn"}
    ).strip()


def one_line(text: str) -> str:
    return " ".join(tidy(text).split())


class CountrySelect(forms.Select):
    """The country list, rendered in one go.

    Django renders each <option> through a template: for 250 countries that is most of the
    cost of the petition page. The options are escaped once per language and reused.
    """

    options_by_language: dict[str, str] = {}

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        language = get_language()
        if language not in self.options_by_language:
            self.options_by_language[language] = "".join(
                format_html('<option value="{}">{}</option>', code, label)
                for code, label in self.choices
            )
        options = self.options_by_language[language]
        if value:
            chosen = format_html('<option value="{}">', value)
            options = options.replace(chosen, chosen[:-1] + " selected>", 1)
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(attrs), mark_safe(options))


class CountryCodeField(forms.TypedChoiceField):
    """A country code, checked with one lookup instead of a walk through 250 translated names
    (Django's choice fields walk the whole list, twice per signature with the model's check)."""

    def valid_value(self, value: str) -> bool:
        return value in COUNTRY_CODES


COUNTRY_CODES = frozenset(countries.countries)


class SignatureForm(forms.ModelForm):
    """The signing form. Which optional fields it asks for is up to the petition."""

    public = forms.BooleanField(
        label=_("Show my name, organisation, country and comment in the public list of signers."),
        required=False,
    )
    news_opt_in = forms.BooleanField(
        label=_("Send me news about this petition from its organisers."),
        required=False,
    )
    # A field people never see: only a bot filling in every input puts something in it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # When the page was served, signed, to see how long the form took to fill.
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # Where the signer came from, carried over from the petition page (see sharing.arrival).
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    referrer = forms.CharField(required=False, widget=forms.HiddenInput)
    country = CountryCodeField(
        label=_("Country / territory"),
        choices=lambda: [("", _("Choose…")), *countries],
        required=False,
        widget=CountrySelect(attrs={"autocomplete": "country"}),
        error_messages={
            "required": _("Please choose your country or territory."),
            "invalid_choice": _("Please choose a country or territory from the list."),
        },
    )

    class Meta:
        model = Signature
        fields = [
            "full_name",
            "organization",
            "country",
            "email",
            "comment",
            "public",
            "news_opt_in",
            "source",
            "referrer",
        ]
        labels = {
            "full_name": _("Full name"),
            "organization": _("Organisation / position / occupation"),
            "country": _("Country / territory"),
            "email": _("E-mail"),
            "comment": _("Comment"),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "organization": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "country": CountrySelect(attrs={"autocomplete": "country"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "full_name": {
                "required": _("Please enter your name."),
                "max_length": _("Please shorten your name to %(limit_value)d characters."),
            },
            "organization": {
                "required": _("Please enter your organisation, position or occupation."),
                "max_length": _("Please shorten this to %(limit_value)d characters."),
            },
            "country": {
                "required": _("Please choose your country or territory."),
                "invalid_choice": _("Please choose a country or territory from the list."),
            },
            "email": {
                "required": _("Please enter your e-mail address."),
                "max_length": _("This e-mail address is too long."),
            },
            "comment": {
                "required": _("Please write a comment."),
                "max_length": _("Please shorten your comment to %(limit_value)d characters."),
            },
        }

    def __init__(
        self, petition: Petition, *args, challenge_required: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.petition = petition
        self.challenge_required = challenge_required
        self.flags: list[str] = []
        self.fill_seconds: int | None = None
        # Signed when the form is shown, not when a sent form is checked.
        self.fields["started"].initial = lambda: signing.dumps(time.time(), salt=TIMER_SALT)
        settings_by_field = {
            "organization": petition.organization_field,
            "country": petition.country_field,
            "comment": petition.comment_field,
        }
        for name, setting in settings_by_field.items():
            if setting == FieldSetting.HIDDEN:
                del self.fields[name]
            else:
                self.fields[name].required = setting == FieldSetting.REQUIRED

    def _get_validation_exclusions(self) -> set[str]:
        # The country was checked by its field against the same list: the model's own check
        # would walk all 250 names again.
        return super()._get_validation_exclusions() | {"country"}

    def validate_unique(self) -> None:
        # An address may sign again: signing.sign() then sends a fresh link or a note, and the
        # database's constraint decides. (The petition is no field of the form, so Django's
        # check could never apply; skipping it saves its work on every signature.)
        pass

    def clean_full_name(self) -> str:
        name = one_line(self.cleaned_data["full_name"])
        if not name:
            raise ValidationError(_("Please enter your name."), code="required")
        return name

    def clean_organization(self) -> str:
        return one_line(self.cleaned_data.get("organization", ""))

    def clean_source(self) -> str:
        return sharing.clean_source(self.cleaned_data.get("source", ""))

    def clean_referrer(self) -> str:
        return sharing.clean_host(self.cleaned_data.get("referrer", ""))

    def clean_comment(self) -> str:
        return tidy(self.cleaned_data.get("comment", ""))

    def clean_email(self) -> str:
        try:
            # The DNS check, when enabled, is accepts_mail() below: cached, and lenient.
            address = validate_email(self.cleaned_data["email"], check_deliverability=False)
        except EmailNotValidError as error:
            raise ValidationError(
                _("Please enter a valid e-mail address, like name@example.org."), code="invalid"
            ) from error
        email = address.normalized.lower()
        domain = email.rpartition("@")[2]
        if is_disposable(domain):
            raise ValidationError(
                _(
                    "Please use a permanent e-mail address: we cannot confirm signatures "
                    "from disposable addresses."
                ),
                code="disposable",
            )
        if settings.EMAIL_CHECK_DELIVERABILITY and not accepts_mail(domain):
            raise ValidationError(
                _("The domain of this e-mail address does not receive e-mail. Please check it."),
                code="undeliverable",
            )
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.challenge_required and not challenge.verify(self.data.get("altcha", "")):
            raise ValidationError(
                _(
                    "Please wait until the anti-spam check next to the button is done, "
                    "then send the form again."
                ),
                code="challenge",
            )
        # Bots are recorded, not told: an error would teach them what gave them away.
        if cleaned.get("website"):
            self.flags.append("honeypot")
        try:
            started = signing.loads(cleaned.get("started", ""), salt=TIMER_SALT)
            self.fill_seconds = max(0, int(time.time() - float(started)))
        except (signing.BadSignature, TypeError, ValueError):
            self.flags.append("no_timer")
        else:
            if self.fill_seconds < settings.SIGNING_MIN_FILL_SECONDS:
                self.flags.append("too_fast")
        return cleaned


def is_disposable(domain: str) -> bool:
    """The domain or one of its parents is a known throwaway-address provider."""
    parts = domain.split(".")
    candidates = {".".join(parts[i:]) for i in range(len(parts) - 1)}
    return any(
        domain in disposable_domains or domain in settings.DISPOSABLE_EMAIL_DOMAINS
        for domain in candidates
    )


def accepts_mail(domain: str) -> bool:
    """The domain has a mail server (MX, or A/AAAA as a fallback). Cached for a day.

    A DNS failure or timeout lets the address through: a slow resolver must not stop people
    from signing, and the confirmation e-mail proves the address anyway.
    """
    key = f"mx:{domain}"
    known = cache.get(key)
    if known is None:
        try:
            validate_email_deliverability(domain, domain, timeout=settings.EMAIL_DNS_TIMEOUT)
            known = True
        except EmailUndeliverableError:
            known = False
        except Exception:
            return True
        cache.set(key, known, timeout=24 * 3600)
    return known
