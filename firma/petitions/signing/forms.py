"""The signing form: the presentation of the rules in firma.petitions.rules.signer.

The HTTP field names (full_name, organization, country, email, comment, public, news_opt_in,
organisation_news) are a contract with every page and partner form that posts here; the rules
behind them live once, in the validation core.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from firma.petitions.consents import wordings
from firma.petitions.defences import challenge
from firma.petitions.defences.addresses import deliverable
from firma.petitions.models import FieldSetting, Petition
from firma.petitions.partners.selectors import partners_of
from firma.petitions.questions import fields as questions
from firma.petitions.questions.selectors import asked
from firma.petitions.rules import endorsements
from firma.petitions.rules import partners as partner_rules
from firma.petitions.rules import signer as rules
from firma.petitions.signing.submission import EMBED_SOURCE, OPTIONAL, Submission


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


class RuleField(forms.CharField):
    """A field whose value its rule judges, "required" included: the field only presents it
    (the label's "optional", the input's attributes)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(strip=False, **kwargs)

    def validate(self, value) -> None:
        pass


class RuleCheckbox(forms.CheckboxInput):
    """A checkbox whose answer the core reads (rules.checked), as the lean path does."""

    def value_from_datadict(self, data, files, name) -> bool:
        return rules.checked(data.get(name))


def text_field(label, max_length: int, required: bool = True, **attrs) -> RuleField:
    # Lengths are checked by the rules, after tidying; the attribute only helps the browser.
    return RuleField(
        label=label,
        required=required,
        widget=forms.TextInput(attrs={"maxlength": max_length, **attrs}),
    )


class SignatureForm(forms.Form):
    """The signing form. Which optional fields it asks for is up to the petition.

    A signer signs as an individual or on behalf of an organisation (signing_as): then the
    organisation's fields are required, whatever the page's script showed.
    """

    signing_as = RuleField(
        label=_("I sign"),
        required=False,
        widget=forms.RadioSelect(
            choices=[
                (endorsements.INDIVIDUAL, _("as an individual")),
                (endorsements.ORGANISATION, _("on behalf of an organisation")),
            ]
        ),
    )
    # Not "required" for the browser: only those who sign for an organisation must fill them.
    organisation_name = text_field(
        _("Name of the organisation"),
        endorsements.ORGANISATION_LENGTH,
        required=False,
        autocomplete="organization",
    )
    organisation_position = text_field(
        _("Your position in the organisation"), endorsements.POSITION_LENGTH, required=False
    )
    organisation_website = RuleField(
        label=_("The organisation's website"),
        required=False,
        widget=forms.URLInput(
            attrs={"maxlength": endorsements.WEBSITE_LENGTH, "autocomplete": "url"}
        ),
    )
    full_name = text_field(_("Full name"), rules.NAME_LENGTH, autocomplete="name")
    organization = text_field(
        _("Organisation / position / occupation"),
        rules.AFFILIATION_LENGTH,
        autocomplete="organization-title",
    )
    country = RuleField(
        label=_("Country / territory"),
        widget=CountrySelect(
            attrs={"autocomplete": "country"},
            choices=lambda: [("", _("Choose…")), *countries],
        ),
    )
    email = RuleField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": rules.EMAIL_LENGTH}),
    )
    comment = RuleField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": rules.COMMENT_LENGTH}),
    )
    # Consents: separate, never ticked in advance; what they say is kept with each answer.
    public = forms.BooleanField(
        label=wordings.LABELS[wordings.Choice.LISTING], required=False, widget=RuleCheckbox
    )
    news_opt_in = forms.BooleanField(
        label=wordings.LABELS[wordings.Choice.PETITION_NEWS], required=False, widget=RuleCheckbox
    )
    organisation_news = forms.BooleanField(
        label=wordings.LABELS[wordings.Choice.ORGANISATION_NEWS],
        required=False,
        widget=RuleCheckbox,
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
    # The partner whose share link or embed brought the signer (?via=).
    via = forms.CharField(required=False, widget=forms.HiddenInput)
    # The partners' own consent boxes, unticked: one value per partner slug.
    partner_opt_in = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    # The fields a petition may ask for, leave optional or not ask.
    OPTIONAL = OPTIONAL
    # Asked only of those who sign for an organisation.
    ORGANISATION_FIELDS = ("organisation_name", "organisation_position", "organisation_website")

    # Where consents given through this form come from (consents.ConsentRecord.Channel).
    channel = "page"

    def __init__(
        self, petition: Petition, *args, challenge_required: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.petition = petition
        self.challenge_required = challenge_required
        self.flags: list[str] = []
        self.fill_seconds: int | None = None
        # Signed when the form is shown, not when a sent form is checked.
        self.fields["started"].initial = rules.timer
        self.asked: dict[str, bool] = {}
        self.country_of_individuals = True
        for name, setting_name in self.OPTIONAL.items():
            setting = getattr(petition, setting_name)
            if setting == FieldSetting.HIDDEN and name == "country":
                # An organisation still gives its country: the field stays, for them alone.
                self.country_of_individuals = False
                self.asked[name] = False
                self.fields[name].required = False
                self.fields[name].label = _("Country / territory of the organisation")
            elif setting == FieldSetting.HIDDEN:
                del self.fields[name]
            else:
                self.asked[name] = setting == FieldSetting.REQUIRED
                self.fields[name].required = self.asked[name]
        self.partners = {partner.slug: partner for partner in partners_of(petition)}
        self.offering = [partner for partner in self.partners.values() if partner.opt_in]
        if self.offering:
            self.fields["partner_opt_in"].choices = [
                (partner.slug, wordings.partner_label(partner)) for partner in self.offering
            ]
        else:
            del self.fields["partner_opt_in"]
        self.add_questions()

    def add_questions(self) -> None:
        """The petition's own questions (q_<key>), after the comment, before the checkboxes."""
        self.questions = asked(self.petition)
        self.answers: dict = {}
        if not self.questions:
            return
        names = list(self.fields)
        self.fields.update(questions.form_fields(self.questions, get_language()))
        at = names.index("public")
        self.order_fields([*names[:at], *(q.field_name for q in self.questions), *names[at:]])

    @property
    def for_organisation(self) -> bool:
        """Signing on behalf of an organisation, as sent (an invalid choice is not)."""
        value = self.data.get(self.add_prefix("signing_as"), "")
        return isinstance(value, str) and value.strip() == endorsements.ORGANISATION

    # Each field's rule is the core's; `required` is the petition's setting for the field.
    def clean_signing_as(self) -> str:
        return endorsements.signing_as(self.cleaned_data["signing_as"])

    def clean_organisation_name(self) -> str:
        if not self.for_organisation:
            return ""
        return endorsements.organisation_name(self.cleaned_data["organisation_name"])

    def clean_organisation_position(self) -> str:
        if not self.for_organisation:
            return ""
        return endorsements.position(self.cleaned_data["organisation_position"])

    def clean_organisation_website(self) -> str:
        if not self.for_organisation:
            return ""
        return endorsements.website(self.cleaned_data["organisation_website"])

    def clean_full_name(self) -> str:
        return rules.full_name(self.cleaned_data["full_name"])

    def clean_organization(self) -> str:
        # Someone signing for an organisation is listed with their position in it.
        required = self.asked["organization"] and not self.for_organisation
        return rules.affiliation(self.cleaned_data["organization"], required)

    def clean_country(self) -> str:
        if self.for_organisation:
            return rules.country(self.cleaned_data["country"], required=True)
        if not self.country_of_individuals:
            return ""
        return rules.country(self.cleaned_data["country"], self.asked["country"])

    def clean_comment(self) -> str:
        return rules.comment(self.cleaned_data["comment"], self.asked["comment"])

    def clean_email(self) -> str:
        return deliverable(rules.email(self.cleaned_data["email"]))

    def clean_source(self) -> str:
        return rules.source(self.cleaned_data["source"])

    def clean_referrer(self) -> str:
        return rules.host(self.cleaned_data["referrer"])

    def clean_via(self) -> str:
        return partner_rules.via(self.cleaned_data["via"])

    def partner_boxes(self) -> list:
        """(partner, its checkbox) for the template, which links each to its privacy notice."""
        return list(zip(self.offering, self["partner_opt_in"].subwidgets, strict=True))

    def partner_consents(self) -> list[tuple]:
        """(partner, ticked) for each partner's box the form showed."""
        ticked = set(self.cleaned_data.get("partner_opt_in") or [])
        return [(partner, partner.slug in ticked) for partner in self.offering]

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
        self.answers = questions.clean_answers(self, self.questions, cleaned.get("country", ""))
        # Bots are recorded, not told: an error would teach them what gave them away.
        if rules.caught_by_honeypot(cleaned.get("website", "")):
            self.flags.append("honeypot")
        self.fill_seconds, timer_flags = rules.fill_time(cleaned.get("started", ""))
        self.flags.extend(timer_flags)
        return cleaned

    def privacy_notice(self) -> list[str]:
        """The paragraphs under the form that pressing its button accepts."""
        return wordings.privacy_notice(self.petition)

    def submission(self) -> Submission:
        """The cleaned form, for the signing service. Call it after is_valid()."""
        data = self.cleaned_data
        affiliation = data.get("organization", "")
        if data["signing_as"] == endorsements.ORGANISATION:
            affiliation = endorsements.affiliation(
                data["organisation_name"], data["organisation_position"]
            )[: rules.AFFILIATION_LENGTH]
        return Submission(
            petition=self.petition,
            full_name=data["full_name"],
            email=data["email"],
            affiliation=affiliation,
            kind=data["signing_as"],
            organisation_name=data["organisation_name"],
            organisation_position=data["organisation_position"],
            organisation_website=data["organisation_website"],
            country=data.get("country", ""),
            comment=data.get("comment", ""),
            public=data["public"],
            news_opt_in=data["news_opt_in"],
            answers=self.answers,
            organisation_news=data["organisation_news"],
            consents=wordings.shown_on_form(
                self.petition,
                {name: data[name] for name in wordings.FORM_FIELDS},
                self.partner_consents(),
            ),
            channel=self.channel,
            source=data["source"],
            referrer=data["referrer"],
            fill_seconds=self.fill_seconds,
            challenge_used=self.challenge_required,
            flags=list(self.flags),
            partner_id=getattr(self.partners.get(data["via"]), "pk", None),
        )


class FreshTokenField(forms.CharField):
    """A hidden token issued anew each time the form is shown, after an error too."""

    def bound_data(self, data, initial):
        return initial


class EmbedSignatureForm(SignatureForm):
    """The form inside another site's frame: a signed token naming the petition stands in for
    the CSRF token (see firma.petitions.page.embeds)."""

    embed_token = FreshTokenField(required=False, widget=forms.HiddenInput)
    channel = "embed"

    def __init__(self, petition: Petition, *args, **kwargs) -> None:
        super().__init__(petition, *args, **kwargs)
        self.fields["embed_token"].initial = rules.embed_token(petition.pk)

    def clean_source(self) -> str:
        return super().clean_source() or EMBED_SOURCE

    def clean(self) -> dict:
        cleaned = super().clean()
        rules.embed_petition(cleaned.get("embed_token", ""), self.petition.pk)
        return cleaned
