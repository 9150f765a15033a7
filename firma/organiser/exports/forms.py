"""The export form: format, columns and filters of a download of a petition's signatures."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from firma.organiser.exports.services import (
    COLUMNS,
    DEFAULT_COLUMNS,
    PRIVATE_COLUMNS,
    question_columns,
)
from firma.petitions import counting
from firma.petitions.models import Petition

FORMATS = [
    ("csv", _("CSV (spreadsheets, mail merge)")),
    ("xlsx", _("Excel (XLSX)")),
    ("pdf", _("PDF for delivery: a cover with the petition, then the list of signers")),
]
ORGANISATION_CHOICES = [
    ("", _("With or without")),
    ("yes", _("Only signers who gave one")),
    ("no", _("Only signers who gave none")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=FORMATS, initial="csv", widget=forms.RadioSelect
    )
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=[(column.key, column.label) for column in COLUMNS],
        initial=DEFAULT_COLUMNS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For CSV and Excel. The PDF always lists name, organisation, country, date."),
    )
    internal = forms.BooleanField(
        label=_("Internal export"),
        required=False,
        help_text=_(
            "Shows every signer by name, with e-mail addresses if chosen. Without it, signers "
            "who did not choose to be listed appear as “not listed”."
        ),
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("None chosen: every country."),
    )
    signed_from = forms.DateField(label=_("Signed from"), required=False, widget=DATE)
    signed_to = forms.DateField(label=_("Signed until"), required=False, widget=DATE)
    organisation = forms.ChoiceField(
        label=_("Organisation / position"), choices=ORGANISATION_CHOICES, required=False
    )
    listed_only = forms.BooleanField(label=_("Only signers listed publicly"), required=False)
    group_by_country = forms.BooleanField(label=_("PDF: group by country"), required=False)
    language = forms.ChoiceField(label=_("PDF: language of the cover"), required=False)

    def __init__(self, petition: Petition, may_internal: bool, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.petition = petition
        self.may_internal = may_internal
        present = [code for code, _count in counting.by_country(petition)]
        self.fields["countries"].choices = sorted(
            ((code, countries.name(code)) for code in present), key=lambda choice: choice[1]
        )
        languages = [text.language for text in petition.texts.all()]
        self.fields["language"].choices = [
            (text.language, text.get_language_display()) for text in petition.texts.all()
        ]
        self.fields["language"].initial = (
            petition.default_language if petition.default_language in languages else None
        )
        if not may_internal:
            self.fields["internal"].disabled = True
        # A column for each of the petition's questions; the public ones chosen to begin with,
        # the private ones, like e-mail addresses, for internal exports.
        self.question_columns = question_columns([petition])
        questions = [(column.key, column.label) for column in self.question_columns]
        self.fields["columns"].choices = [*self.fields["columns"].choices, *questions]
        public = [column.key for column in self.question_columns if not column.private]
        self.fields["columns"].initial = [*DEFAULT_COLUMNS, *public]

    def clean_columns(self) -> list[str]:
        columns = self.cleaned_data["columns"]
        if not columns and self.data.get("format") in ("csv", "xlsx"):
            raise ValidationError(_("Choose at least one column."), code="no_columns")
        return columns

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("signed_from"), data.get("signed_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."), code="empty_window")
        if set(data.get("columns") or ()) & PRIVATE_COLUMNS and not data.get("internal"):
            self.add_error(
                "columns",
                ValidationError(
                    _("E-mail addresses are only in internal exports."), code="email_not_internal"
                ),
            )
        private = {column.key for column in self.question_columns if column.private}
        if set(data.get("columns") or ()) & private and not data.get("internal"):
            self.add_error(
                "columns",
                ValidationError(
                    _("Answers to private questions are only in internal exports."),
                    code="private_answers_not_internal",
                ),
            )
        return data

    def describe(self) -> str:
        """The choices, for the audit log."""
        data = self.cleaned_data
        parts = [data["format"], "internal" if data["internal"] else "public"]
        if data["format"] != "pdf":
            parts.append("columns=" + ",".join(data["columns"]))
        for name in ["countries", "signed_from", "signed_to", "organisation", "listed_only"]:
            if data.get(name):
                value = data[name]
                parts.append(f"{name}={','.join(value) if isinstance(value, list) else value}")
        return " ".join(parts)[:500]
