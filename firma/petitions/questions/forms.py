"""A petition's questions as the petition file and the admin give them: each value judged by
the rules in firma.petitions.rules.questions."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from firma.petitions.models import Question
from firma.petitions.rules import questions as rules

LANGUAGES = {code for code, _name in settings.LANGUAGES}
# The keys of a [[questions]] table in a petition file.
QUESTION_KEYS = ("key", "kind", "label", "help_text", "required", "public", "choices")
# In a translation file: which question, and its words in that language.
TRANSLATION_KEYS = ("key", "label", "help_text", "choices")
# The organisers' API sends a question with its words in other languages.
API_KEYS = (*QUESTION_KEYS, "translations")


class QuestionRowForm(forms.Form):
    """A [[questions]] table of the file in the petition's default language."""

    key = forms.CharField(validators=[rules.key])
    kind = forms.ChoiceField(choices=Question.Kind.choices)
    label = forms.CharField(max_length=rules.LABEL_LENGTH)
    help_text = forms.CharField(max_length=rules.HELP_TEXT_LENGTH, required=False)
    required = forms.Field(required=False)
    public = forms.Field(required=False)
    choices = forms.Field(required=False)

    def clean_required(self) -> bool:
        return strict_boolean(self.cleaned_data["required"])

    def clean_public(self) -> bool:
        return strict_boolean(self.cleaned_data["public"])

    def clean(self) -> dict:
        data = super().clean()
        if "kind" in data:
            try:
                data["choices"] = rules.choices(string_list(data.get("choices")), data["kind"])
            except ValidationError as error:
                self.add_error("choices", error)
        return data


class QuestionTranslationRowForm(forms.Form):
    """A [[questions]] table of a translation file: the question's words in its language."""

    key = forms.CharField(validators=[rules.key])
    label = forms.CharField(max_length=rules.LABEL_LENGTH, required=False)
    help_text = forms.CharField(max_length=rules.HELP_TEXT_LENGTH, required=False)
    choices = forms.Field(required=False)

    def clean_choices(self) -> list[str]:
        return rules.choice_list(string_list(self.cleaned_data["choices"]))


def strict_boolean(value: object) -> bool:
    if value in (None, ""):
        return False
    if not isinstance(value, bool):
        raise ValidationError(_("Must be true or false."), code="not_boolean")
    return value


def string_list(value: object) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(
            _('Choices must be an array of texts, like ["Yes", "No"].'), code="choices_not_list"
        )
    return value


def clean_rows(rows: object, translation: bool, known_keys: set[str] = frozenset()) -> list[dict]:
    """The [[questions]] tables of a petition file, cleaned, or a ValidationError listing
    every problem. A translation's tables name questions the petition has (`known_keys`)."""
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValidationError(
            _("Questions must be [[questions]] tables."), code="questions_not_tables"
        )
    allowed = TRANSLATION_KEYS if translation else QUESTION_KEYS
    form_class = QuestionTranslationRowForm if translation else QuestionRowForm
    cleaned, problems = [], []
    for number, row in enumerate(rows, start=1):
        unknown = sorted(set(row) - set(allowed))
        if unknown:
            problems.append(
                _("question %(number)d: unknown key '%(key)s'")
                % {"number": number, "key": unknown[0]}
            )
            continue
        form = form_class(row)
        if not form.is_valid():
            problems.extend(
                f"question {number}: {field}: {' '.join(messages)}"
                for field, messages in form.errors.items()
            )
            continue
        if translation and form.cleaned_data["key"] not in known_keys:
            problems.append(
                _("question %(number)d: the petition asks no question '%(key)s'")
                % {"number": number, "key": form.cleaned_data["key"]}
            )
            continue
        cleaned.append(form.cleaned_data)
    if not problems:
        try:
            rules.question_set([row["key"] for row in cleaned])
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems, code="invalid_questions")
    return cleaned


def clean_api_rows(rows: object) -> list[dict]:
    """The `questions` of the organisers' API: the file's tables, each with its
    `translations` ({"es": {"label": …, "help_text": …, "choices": […]}}) checked as a
    translation file's."""
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValidationError(_("Questions must be a list of objects."), code="questions_not_list")
    unknown = sorted({key for row in rows for key in row} - set(API_KEYS))
    if unknown:
        raise ValidationError(
            _("Unknown key in a question: '%(key)s'") % {"key": unknown[0]}, code="unknown_key"
        )
    cleaned = clean_rows(
        [{key: value for key, value in row.items() if key != "translations"} for row in rows],
        translation=False,
    )
    for row, given in zip(cleaned, rows, strict=True):
        row["translations"] = clean_translations(row["key"], given.get("translations") or {})
    return cleaned


def clean_translations(key: str, translations: object) -> dict:
    if not isinstance(translations, dict) or not all(
        isinstance(words, dict) and language in LANGUAGES
        for language, words in translations.items()
    ):
        raise ValidationError(
            _('Translations are by language: {"es": {"label": "…", "choices": ["…"]}}.'),
            code="translations_shape",
        )
    rows = [{**words, "key": key} for words in translations.values()]
    cleaned = clean_rows(rows, translation=True, known_keys={key})
    return {
        language: {part: row[part] for part in ("label", "help_text", "choices") if row[part]}
        for language, row in zip(translations, cleaned, strict=True)
    }
