"""The questions on the signing form: one field each, named q_<key>, judged by the rules in
firma.petitions.rules.questions once the whole form (and so the signer's country) is read."""

from django import forms
from django.core.exceptions import ValidationError

from firma.petitions.models import Question
from firma.petitions.rules import questions as rules

PREFIX = "q_"


class AnswerField(forms.Field):
    """A field that only presents its question: the rule judges the answer, "required"
    included, in SignatureForm.clean (a postal code needs the country given beside it)."""

    def __init__(self, question: Question, **kwargs) -> None:
        super().__init__(**kwargs)
        self.question = question
        message = "checkbox_required" if question.kind == rules.CHECKBOX else "required"
        # The browser's check (enhance.js) says what the server would.
        self.error_messages["required"] = rules.MESSAGES[message]

    def to_python(self, value):
        return value

    def validate(self, value) -> None:
        pass

    def run_validators(self, value) -> None:
        pass


def widget_for(question: Question, language: str) -> forms.Widget:
    kind = question.kind
    if kind == rules.LONG_TEXT:
        return forms.Textarea(attrs={"rows": 3, "maxlength": rules.LONG_TEXT_LENGTH})
    if kind == rules.CHOICE:
        return forms.RadioSelect(choices=question.options_in(language))
    if kind == rules.CHOICES:
        return forms.CheckboxSelectMultiple(choices=question.options_in(language))
    if kind == rules.CHECKBOX:
        return forms.CheckboxInput()
    if kind == rules.NUMBER:
        return forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 24})
    if kind == rules.POSTAL_CODE:
        attrs = {"autocomplete": "postal-code", "maxlength": rules.POSTAL_CODE_LENGTH}
        return forms.TextInput(attrs=attrs)
    if kind == rules.PHONE:
        attrs = {"type": "tel", "autocomplete": "tel", "maxlength": rules.PHONE_LENGTH}
        return forms.TextInput(attrs=attrs)
    return forms.TextInput(attrs={"maxlength": rules.SHORT_TEXT_LENGTH})


def form_fields(questions: list[Question], language: str) -> dict[str, AnswerField]:
    """The fields of the questions asked, in their order, labelled in `language`."""
    return {
        question.field_name: AnswerField(
            question,
            label=question.label_in(language),
            help_text=question.help_text_in(language),
            required=question.required,
            widget=widget_for(question, language),
        )
        for question in questions
    }


def clean_answers(form: forms.Form, questions: list[Question], country: str) -> dict:
    """The answers given, by key; each problem is added to its field's errors."""
    answers = {}
    for question in questions:
        name = question.field_name
        if name not in form.cleaned_data:
            continue
        try:
            value = rules.answer(
                question.kind,
                form.cleaned_data[name],
                required=question.required,
                options=question.options,
                country=country,
            )
        except ValidationError as error:
            form.add_error(name, error)
            continue
        if value is not None:  # an unticked checkbox is an answer: no
            answers[question.key] = value
    return answers
