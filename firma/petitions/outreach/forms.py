"""The outreach's forms: a target as a petition file or the API gives it, a target's answer,
and the archive's filters as the index's query string carries them."""

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from firma.petitions.models import Outcome
from firma.petitions.outreach.selectors import CLOSED, OPEN

TARGET_KEYS = ("name", "role", "email", "country")


class TargetForm(forms.Form):
    name = forms.CharField(max_length=200)
    role = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    country = forms.CharField(max_length=2, required=False)

    def clean_country(self) -> str:
        code = self.cleaned_data["country"].upper()
        if code and code not in countries:
            raise forms.ValidationError(
                _("Not a country code (ISO 3166 alpha-2, like AR)."), code="invalid_country"
            )
        return code


class TargetRoleForm(forms.Form):
    """A target in a translation: its role in that language; the name only to say which."""

    name = forms.CharField(max_length=200, required=False)
    role = forms.CharField(max_length=200, required=False)


class ResponseForm(forms.Form):
    """What a target writes on the answer page."""

    text = forms.CharField(
        label=_("Your response"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=settings.RESPONSE_MAX_LENGTH,
        error_messages={
            "required": _("Please write your response."),
            "max_length": _(
                "Your response is %(show_value)d characters long; the limit is %(limit_value)d."
            ),
        },
    )
    document_url = forms.URLField(
        label=_("Link to a document (optional)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["https"])],
        help_text=_("An https:// address where your full answer or letter can be read."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # No maxlength in the page: a browser would cut a pasted answer without a word; the
        # server says how long it is instead.
        self.fields["text"].widget.attrs.pop("maxlength", None)
        # Here, not on the field: in the language of the request.
        self.fields["text"].help_text = gettext(
            "You may use Markdown. At most %(limit)s characters."
        ) % {"limit": formats.number_format(settings.RESPONSE_MAX_LENGTH, force_grouping=True)}


class ArchiveFilterForm(forms.Form):
    """?status=open|closed and ?outcome=won|partly_won|…; ?page= is the paginator's."""

    status = forms.ChoiceField(
        label=_("Petitions"),
        required=False,
        choices=[("", _("All")), (OPEN, _("Open")), (CLOSED, _("Closed"))],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Any outcome")), *Outcome.choices],
    )
