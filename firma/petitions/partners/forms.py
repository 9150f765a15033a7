"""A partner as the organisers' workspace edits it, and as a petition file gives it."""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from firma.petitions.models import Partner
from firma.petitions.rules import partners as rules
from firma.tenancy.models import Organisation

PARTNER_KEYS = ("name", "website", "privacy_url", "opt_in", "slug")


class OrganisationSlugField(forms.CharField):
    """An organisation on this site, named by its slug: a list of every organisation would
    show each organiser the others'."""

    def to_python(self, value) -> Organisation | None:
        slug = super().to_python(value)[:80]
        if not slug:
            return None
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise ValidationError(
                _("No organisation on this site has the slug '%(slug)s'."),
                code="unknown_organisation",
                params={"slug": slug},
            )
        return organisation

    def has_changed(self, initial, data) -> bool:
        return (initial or "") != (data or "").strip()


class PartnerForm(forms.ModelForm):
    """The workspace's inline form, with the logo as an upload that the rule re-encodes."""

    logo_file = forms.FileField(
        label=_("logo"),
        required=False,
        help_text=_("A PNG, JPEG, GIF or WebP image of at most 2 MB; it is stored re-encoded."),
    )
    remove_logo = forms.BooleanField(label=_("remove the logo"), required=False)
    organisation = OrganisationSlugField(
        label=_("organisation on this site"),
        required=False,
        help_text=_("Its slug. Its members with the partner role see this partner's signatures."),
    )
    # Checked by the rule, which takes http and https addresses only.
    website = forms.CharField(label=_("website"), max_length=500, required=False)
    privacy_url = forms.CharField(label=_("privacy notice"), max_length=500, required=False)

    class Meta:
        model = Partner
        fields = ["position", "organisation", "name", "slug", "website", "privacy_url", "opt_in"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["name"].required = False
        if self.instance.organisation_id:
            self.initial["organisation"] = self.instance.organisation.slug

    def clean_website(self) -> str:
        return rules.web_address(self.cleaned_data["website"])

    def clean_privacy_url(self) -> str:
        return rules.web_address(self.cleaned_data["privacy_url"])

    def clean_logo_file(self) -> bytes | None:
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > rules.LOGO_MAX_BYTES:
            raise ValidationError(rules.MESSAGES["logo_size"], code="logo_size")
        return rules.logo(upload.read())

    def clean(self) -> dict:
        data = super().clean()
        organisation = data.get("organisation")
        try:
            data["name"] = rules.name(data.get("name", ""), getattr(organisation, "name", ""))
        except ValidationError as error:
            self.add_error("name", error)
        data["slug"] = rules.slug(
            data.get("slug", ""), organisation.slug if organisation else data.get("name", "")
        )
        try:
            rules.opt_in(data.get("opt_in", False), data.get("privacy_url", ""))
        except ValidationError as error:
            self.add_error("privacy_url", error)
        return data

    def save(self, commit: bool = True) -> Partner:
        partner = super().save(commit=False)
        partner.name, partner.slug = self.cleaned_data["name"], self.cleaned_data["slug"]
        logo = self.cleaned_data.get("logo_file")
        if logo:
            set_logo(partner, logo)
        elif self.cleaned_data.get("remove_logo"):
            set_logo(partner, b"")
        if commit:
            partner.save()
        return partner


def set_logo(partner: Partner, png: bytes) -> None:
    partner.logo = png
    partner.logo_version = hashlib.blake2b(png, digest_size=6).hexdigest() if png else ""


class PartnerFileForm(forms.Form):
    """A `[[partners]]` table of a petition file: `slug` names an organisation on this site."""

    name = forms.CharField(max_length=200, required=False)
    website = forms.CharField(max_length=500, required=False)
    privacy_url = forms.CharField(max_length=500, required=False)
    opt_in = forms.Field(required=False)
    slug = OrganisationSlugField(required=False)

    def clean_website(self) -> str:
        return rules.web_address(self.cleaned_data["website"])

    def clean_privacy_url(self) -> str:
        return rules.web_address(self.cleaned_data["privacy_url"])

    def clean_opt_in(self) -> bool:
        value = self.cleaned_data["opt_in"]
        if value in (None, ""):
            return False
        if not isinstance(value, bool):
            raise ValidationError(_("Must be true or false."), code="not_boolean")
        return value

    def clean(self) -> dict:
        data = super().clean()
        organisation = data.get("slug")
        if "slug" in data and "name" in data:
            try:
                data["name"] = rules.name(data["name"], getattr(organisation, "name", ""))
            except ValidationError as error:
                self.add_error("name", error)
        if "opt_in" in data and "privacy_url" in data:
            try:
                rules.opt_in(data["opt_in"], data["privacy_url"])
            except ValidationError as error:
                self.add_error("privacy_url", error)
        return data

    def partner_fields(self) -> dict:
        """The cleaned table as Partner fields."""
        data = self.cleaned_data
        organisation = data["slug"]
        return {
            "organisation": organisation,
            "slug": rules.slug("", organisation.slug if organisation else data["name"]),
            "name": data["name"],
            "website": data["website"],
            "privacy_url": data["privacy_url"],
            "opt_in": data["opt_in"],
        }
