"""What the API accepts, validated as forms: query parameters, and the JSON bodies that create
and change petitions. Every error has a code, which the API sends with its message."""

import base64
import binascii

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from firma.api.errors import ApiError
from firma.petitions.models import Delivery, Petition, PetitionText, Signature, Target

CURSOR_PREFIX = "pk:"


def encode_cursor(pk: int) -> str:
    """An opaque position in a list: clients pass it back, and must not build their own."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    number = text.removeprefix(CURSOR_PREFIX)
    if not text.startswith(CURSOR_PREFIX) or not number.isascii() or not number.isdigit():
        raise ValidationError(_("This cursor is not one the API gave."), code="invalid_cursor")
    return int(number)


class PageForm(forms.Form):
    """?limit= (page size) and ?cursor= (from the previous page's `next`)."""

    limit = forms.IntegerField(required=False, min_value=1, max_value=settings.API_MAX_PAGE_SIZE)
    cursor = forms.CharField(required=False, max_length=100)

    def clean_limit(self) -> int:
        return self.cleaned_data["limit"] or settings.API_PAGE_SIZE

    def clean_cursor(self) -> int | None:
        cursor = self.cleaned_data["cursor"]
        return decode_cursor(cursor) if cursor else None


class SignatureFilterForm(PageForm):
    """The organiser's list and export of signatures: ?status=, ?country=, ?since=."""

    STATUSES = {
        "confirmed": Signature.objects.confirmed,
        "pending": Signature.objects.pending,
        "invalidated": Signature.objects.invalidated,
    }

    status = forms.ChoiceField(
        required=False, choices=[("", "")] + [(name, name) for name in STATUSES]
    )
    country = forms.CharField(required=False, max_length=2)
    since = forms.DateTimeField(required=False)

    def clean_country(self) -> str:
        code = self.cleaned_data["country"].upper()
        if code and code not in countries:
            raise ValidationError(_("Not a country code."), code="invalid_country")
        return code

    def filter(self, signatures):
        """`signatures` narrowed to the cleaned filters."""
        data = self.cleaned_data
        if data["status"]:
            signatures = signatures & self.STATUSES[data["status"]]()
        if data["country"]:
            signatures = signatures.filter(country=data["country"])
        if data["since"]:
            signatures = signatures.filter(created_at__gte=data["since"])
        return signatures


class PetitionForm(forms.ModelForm):
    """A petition's settings as the API edits them (donations stay in the back office)."""

    class Meta:
        model = Petition
        fields = [
            "slug",
            "status",
            "default_language",
            "goal",
            "closes_on",
            "organization_field",
            "country_field",
            "comment_field",
            "allow_embedding",
            "retention_days",
            "deliver_at",
            "auto_deliver",
            "response_days",
            "deliver_unlisted_names",
        ]


class PetitionTextForm(forms.ModelForm):
    class Meta:
        model = PetitionText
        fields = ["language", "title", "body", "donation_note"]


def form_data(body: dict, fields: list[str], initial: dict | None = None) -> dict:
    """A JSON object as form data: `initial` (the current values, for a partial update)
    overlaid with the fields sent. Raises ApiError for a field sent as a list or an object."""
    data = dict(initial or {})
    wrong = {}
    for name in fields:
        if name not in body:
            continue
        value = body[name]
        if value is None:
            data[name] = ""
        elif isinstance(value, bool):
            data[name] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            data[name] = str(value)
        else:
            wrong[name] = [{"code": "invalid_type", "message": "Expected a string or a number."}]
    if wrong:
        raise ApiError(400, "invalid", "The data sent is not valid.", fields=wrong)
    return data


class TargetApiForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["name", "role", "email", "country", "position"]


class DeliveryApiForm(forms.Form):
    """A delivery: by e-mail through firma ("email"), or made elsewhere ("offline")."""

    method = forms.ChoiceField(choices=Delivery.Method.choices)
    targets = forms.ModelMultipleChoiceField(queryset=Target.objects.none())
    message = forms.CharField(required=False, max_length=5000)
    delivered_at = forms.DateTimeField(required=False)
    signature_count = forms.IntegerField(required=False, min_value=0)
    note = forms.CharField(required=False, max_length=500)

    def __init__(self, petition: Petition, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = petition.targets.all()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("method") == Delivery.Method.EMAIL:
            if any(not target.email for target in data.get("targets") or []):
                self.add_error(
                    "targets",
                    ValidationError(_("A target has no e-mail address."), code="no_address"),
                )
        elif data.get("method") == Delivery.Method.OFFLINE and data.get("signature_count") is None:
            self.add_error(
                "signature_count",
                ValidationError(_("Say how many signatures were delivered."), code="required"),
            )
        return data
