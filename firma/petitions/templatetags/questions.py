from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from firma.petitions.models import Question, Signature
from firma.petitions.questions.display import as_text
from firma.petitions.questions.selectors import labelled_answers

register = template.Library()


def described_by(field: BoundField) -> str:
    """The ids of the texts that describe the field: its error first, then its help."""
    ids = []
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    if field.help_text:
        ids.append(f"{field.auto_id}_help")
    return " ".join(ids)


@register.simple_tag
def question_widget(field: BoundField) -> SafeString:
    """A question's input, tied to its error message and help text for screen readers."""
    described = described_by(field)
    return field.as_widget(attrs={"aria-describedby": described} if described else {})


@register.filter
def question_described_by(field: BoundField) -> str:
    return described_by(field)


@register.simple_tag
def public_answers(signature: Signature, questions: list[Question]) -> list[tuple[str, str]]:
    """(question, answer) for the public questions the signer answered, in the page's
    language; an unticked checkbox is not shown."""
    language = get_language()
    shown = []
    for question in questions:
        value = signature.answers.get(question.key)
        if value in (None, False, "", []):
            continue
        text = as_text(value, yes=gettext("yes"), no=gettext("no"))
        if question.kind in ("choice", "choices"):
            labels = dict(question.options_in(language))
            items = value if isinstance(value, list) else [value]
            text = ", ".join(labels.get(item, item) for item in items)
        shown.append((question.label_in(language), text))
    return shown


@register.simple_tag
def signer_answers(signature: Signature) -> list[tuple[str, str]]:
    """Every answer the signature keeps, for the signer's own pages, in the page's language."""
    return labelled_answers(signature, get_language(), gettext("yes"), gettext("no"))
