"""The checks of a petition file's values, and what an accepted file changes: the petition, its
text in the file's language, and the targets, questions and partners the file lists."""

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN

from firma.petitions.importing.files import TABLE_KEYS
from firma.petitions.models import FieldSetting, Petition, PetitionText, Question
from firma.petitions.outreach import services as outreach
from firma.petitions.outreach.forms import TARGET_KEYS, TargetForm, TargetRoleForm
from firma.petitions.partners import services as partners
from firma.petitions.partners.forms import PARTNER_KEYS, PartnerFileForm
from firma.petitions.questions import forms as question_forms
from firma.petitions.questions import services as questions
from firma.petitions.rules import reminders
from firma.petitions.rules.donations import (
    compact_cbu,
    normalise_amounts,
    normalise_currency,
    validate_alias,
    validate_amounts,
    validate_bic,
    validate_cbu,
    validate_currency,
    validate_iban,
)
from firma.petitions.versions import services as versions

# Keys of the file's language only, beside its title and body.
TEXT_FIELDS = ["donation_note"]
PETITION_FIELDS = [
    "default_language",
    "goal",
    "status",
    "closes_on",
    "deliver_at",
    "auto_deliver",
    "response_days",
    "deliver_unlisted_names",
    "reminder_hours",
    *(name for name in TABLE_KEYS.values() if name not in TEXT_FIELDS),
]


class StrictBooleanField(forms.Field):
    """true or false, nothing else: "no" would be true to Python."""

    def to_python(self, value: object) -> bool | None:
        if value in (None, ""):
            return None
        if not isinstance(value, bool):
            raise forms.ValidationError(_("Must be true or false."), code="not_boolean")
        return value


class PetitionFileForm(forms.Form):
    slug = forms.SlugField(max_length=80)
    title = forms.CharField(max_length=200)
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    body = forms.CharField(required=False)
    default_language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)
    goal = forms.IntegerField(min_value=1, required=False)
    status = forms.ChoiceField(choices=Petition.Status.choices, required=False)
    closes_on = forms.DateField(required=False)
    # A TOML array of hours, turned into the stored text by clean_reminder_hours.
    reminder_hours = forms.Field(required=False)
    organization_field = forms.ChoiceField(choices=FieldSetting.choices, required=False)
    country_field = forms.ChoiceField(choices=FieldSetting.choices, required=False)
    comment_field = forms.ChoiceField(choices=FieldSetting.choices, required=False)
    donation_holder = forms.CharField(max_length=200, required=False)
    donation_iban = forms.CharField(max_length=42, required=False, validators=[validate_iban])
    donation_bic = forms.CharField(max_length=11, required=False, validators=[validate_bic])
    donation_reference = forms.CharField(max_length=140, required=False)
    donation_cbu = forms.CharField(max_length=30, required=False, validators=[validate_cbu])
    donation_alias = forms.CharField(max_length=20, required=False, validators=[validate_alias])
    # A TOML array of numbers, turned into the stored text by clean_donation_amounts.
    donation_amounts = forms.Field(required=False)
    donation_currency = forms.CharField(
        max_length=3, required=False, validators=[validate_currency]
    )
    donation_note = forms.CharField(max_length=1000, required=False)
    deliver_at = forms.IntegerField(min_value=1, required=False)
    auto_deliver = StrictBooleanField(required=False)
    response_days = forms.IntegerField(min_value=1, max_value=3650, required=False)
    deliver_unlisted_names = StrictBooleanField(required=False)
    # Arrays of tables, checked by clean_targets(), clean_partners() and, for the questions,
    # in clean() (questions.forms.clean_rows).
    targets = forms.Field(required=False)
    questions = forms.Field(required=False)
    partners = forms.Field(required=False)

    def clean_auto_deliver(self) -> bool:
        return bool(self.cleaned_data["auto_deliver"])

    def clean_deliver_unlisted_names(self) -> bool:
        return bool(self.cleaned_data["deliver_unlisted_names"])

    def clean_targets(self) -> list[dict] | None:
        rows = self.cleaned_data["targets"]
        if rows in (None, ""):
            return None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise forms.ValidationError(
                _("Targets must be [[targets]] tables."), code="targets_not_tables"
            )
        problems = []
        for number, row in enumerate(rows, start=1):
            unknown = sorted(set(row) - set(TARGET_KEYS))
            if unknown:
                problems.append(
                    _("target %(number)d: unknown key '%(key)s'")
                    % {"number": number, "key": unknown[0]}
                )
        if problems:
            raise forms.ValidationError(problems, code="unknown_target_key")
        return rows

    def clean_partners(self) -> list[dict] | None:
        rows = self.cleaned_data["partners"]
        if rows in (None, ""):
            return None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise forms.ValidationError(
                _("Partners must be [[partners]] tables."), code="partners_not_tables"
            )
        cleaned, problems = [], []
        for number, row in enumerate(rows, start=1):
            unknown = sorted(set(row) - set(PARTNER_KEYS))
            if unknown:
                problems.append(
                    _("partner %(number)d: unknown key '%(key)s'")
                    % {"number": number, "key": unknown[0]}
                )
                continue
            form = PartnerFileForm(
                {key: "" if value is None else value for key, value in row.items()}
            )
            if not form.is_valid():
                problems.extend(
                    f"partner {number}: {field}: {' '.join(messages)}"
                    for field, messages in form.errors.items()
                )
                continue
            cleaned.append(form.partner_fields())
        if problems:
            raise forms.ValidationError(problems, code="invalid_partner")
        return cleaned

    def is_translation(self) -> bool:
        """Whether this file translates an existing petition (or names a default language
        other than its own): then its targets give roles only."""
        data = self.cleaned_data
        default = data.get("default_language")
        if not default:
            default = (
                Petition.objects.filter(slug=data.get("slug")).values_list(
                    "default_language", flat=True
                )
            ).first() or data.get("language")
        return default != data.get("language")

    def clean(self) -> dict:
        data = super().clean()
        self.check_questions(data)
        rows = data.get("targets")
        if not rows:
            return data
        translation = self.is_translation()
        form_class = TargetRoleForm if translation else TargetForm
        cleaned, problems = [], []
        for number, row in enumerate(rows, start=1):
            if translation and set(row) - {"name", "role"}:
                problems.append(
                    _("target %(number)d: a translation gives only name and role")
                    % {"number": number}
                )
                continue
            form = form_class({key: "" if value is None else value for key, value in row.items()})
            if not form.is_valid():
                problems.extend(
                    f"target {number}: {field}: {' '.join(messages)}"
                    for field, messages in form.errors.items()
                )
                continue
            cleaned.append(form.cleaned_data)
        if problems:
            self.add_error("targets", problems)
        else:
            data["targets"] = cleaned
            data["targets_are_roles"] = translation
        return data

    def check_questions(self, data: dict) -> None:
        rows = data.get("questions")
        if rows in (None, ""):
            data["questions"] = None
            return
        translation = self.is_translation()
        known = set(
            Question.objects.filter(petition__slug=data.get("slug"))
            .asked()
            .values_list("key", flat=True)
        )
        try:
            data["questions"] = question_forms.clean_rows(rows, translation, known)
        except forms.ValidationError as error:
            self.add_error("questions", error)
        else:
            data["questions_are_translations"] = translation

    def clean_donation_iban(self) -> str:
        iban = self.cleaned_data["donation_iban"]
        return IBAN(iban).compact if iban else ""

    def clean_donation_bic(self) -> str:
        bic = self.cleaned_data["donation_bic"]
        return BIC(bic).compact if bic else ""

    def clean_donation_cbu(self) -> str:
        return compact_cbu(self.cleaned_data["donation_cbu"])

    def clean_donation_amounts(self) -> str:
        amounts = self.cleaned_data["donation_amounts"]
        if amounts in (None, ""):
            return ""
        # bool is an int to Python, not a number to anyone writing a petition.
        if not isinstance(amounts, list) or any(
            isinstance(amount, bool) or not isinstance(amount, int | float) for amount in amounts
        ):
            raise forms.ValidationError(
                _("Amounts must be an array of numbers, like [10, 25, 50]."),
                code="amounts_not_numbers",
            )
        text = ", ".join(str(amount) for amount in amounts)
        validate_amounts(text)
        return normalise_amounts(text)

    def clean_reminder_hours(self) -> str:
        hours = self.cleaned_data["reminder_hours"]
        if hours is None:
            return reminders.DEFAULT
        return reminders.from_list(hours)

    def clean_donation_currency(self) -> str:
        return normalise_currency(self.cleaned_data["donation_currency"])

    def save(self) -> tuple[Petition, bool]:
        data = self.cleaned_data
        given = [name for name in PETITION_FIELDS if name in self.data]
        with transaction.atomic():
            petition, created = Petition.objects.get_or_create(
                slug=data["slug"],
                defaults={"default_language": data["default_language"] or data["language"]},
            )
            for name in given:
                if name == "status":
                    petition.change_status(data[name])
                elif name == "deliver_at" and data[name] != petition.deliver_at:
                    # A new count to deliver at is announced anew.
                    petition.deliver_at, petition.threshold_reached_at = data[name], None
                else:
                    setattr(petition, name, data[name])
            petition.save()
            text = {"title": data["title"], "body": data["body"]}
            text.update({name: data[name] for name in TEXT_FIELDS if name in self.data})
            PetitionText.objects.update_or_create(
                petition=petition, language=data["language"], defaults=text
            )
            if data.get("targets") is not None:
                self.save_targets(petition)
            if data.get("questions") is not None:
                if data["questions_are_translations"]:
                    questions.set_translations(petition, data["language"], data["questions"])
                else:
                    questions.replace_questions(petition, data["questions"])
            if data.get("partners") is not None:
                partners.replace_partners(petition, data["partners"])
            versions.record(petition)  # what is signed from now on
        return petition, created

    def save_targets(self, petition: Petition) -> None:
        data = self.cleaned_data
        if data["targets_are_roles"]:
            outreach.set_roles(petition, data["language"], data["targets"])
        else:
            outreach.replace_targets(petition, data["targets"])
