import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from email_validator import EmailNotValidError, validate_email

from .models import FieldSetting, Petition, Signature


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
            "country": forms.Select(attrs={"autocomplete": "country"}),
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

    def __init__(self, petition: Petition, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.petition = petition
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
        # The model allows a blank country; the form's list starts with an empty choice.
        if "country" in self.fields:
            self.fields["country"].choices = [
                ("", _("Choose…")),
                *self.fields["country"].choices[1:],
            ]

    def clean_full_name(self) -> str:
        name = one_line(self.cleaned_data["full_name"])
        if not name:
            raise ValidationError(_("Please enter your name."), code="required")
        return name

    def clean_organization(self) -> str:
        return one_line(self.cleaned_data.get("organization", ""))

    def clean_comment(self) -> str:
        return tidy(self.cleaned_data.get("comment", ""))

    def clean_email(self) -> str:
        try:
            address = validate_email(
                self.cleaned_data["email"],
                check_deliverability=settings.EMAIL_CHECK_DELIVERABILITY,
            )
        except EmailNotValidError as error:
            raise ValidationError(
                _("Please enter a valid e-mail address, like name@example.org."), code="invalid"
            ) from error
        return address.normalized.lower()
