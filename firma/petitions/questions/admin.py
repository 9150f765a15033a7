"""The petition's questions in the workspace: an inline of the petition's page, like its
targets. Deleting a question that people answered takes it off the form and keeps the answers
(services.remove)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from firma.petitions.models import Question
from firma.petitions.questions import forms as forms_rules
from firma.petitions.questions import services
from firma.petitions.rules import questions as rules
from firma.tenancy.inlines import PetitionPartInline


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "position",
            "key",
            "kind",
            "label",
            "help_text",
            "choices",
            "translations",
            "required",
            "public",
        ]

    def clean_key(self) -> str:
        key = rules.key(self.cleaned_data["key"])
        instance = self.instance
        if instance.pk and key != instance.key and services.is_answered(instance):
            raise ValidationError(
                _(
                    "People have answered this question: its key stays. To ask something "
                    "else, delete it and add a new question."
                ),
                code="key_answered",
            )
        return key

    def clean_translations(self) -> dict:
        # Checked as the API's are: by language, each a translation file's table.
        return forms_rules.clean_translations("question", self.cleaned_data["translations"] or {})

    def clean(self) -> dict:
        data = super().clean()
        if "kind" in data and "choices" in data:
            try:
                data["choices"] = "\n".join(rules.choices(data["choices"], data["kind"]))
            except ValidationError as error:
                self.add_error("choices", error)
        return data


class QuestionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        keys = [
            form.cleaned_data["key"]
            for form in self.forms
            if form.cleaned_data.get("key") and not form.cleaned_data.get("DELETE")
        ]
        try:
            rules.question_set(keys)
        except ValidationError as error:
            raise ValidationError(error.messages) from error

    def delete_existing(self, obj: Question, commit: bool = True) -> None:
        if commit:
            services.remove(obj)


class QuestionInline(PetitionPartInline, admin.StackedInline):
    """The form's own questions (at most ten): the rights of their petition, like targets."""

    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 0
    max_num = rules.MAX_QUESTIONS

    def get_queryset(self, request):
        return super().get_queryset(request).asked()
