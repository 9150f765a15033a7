"""Reading a petition's questions: those asked on the form, and those whose answers are kept."""

from collections.abc import Iterable

from django.db.models import F

from firma.petitions.models import Petition, Question, Signature
from firma.petitions.questions.display import as_text


def asked(petition: Petition) -> list[Question]:
    """The questions on the form now, in order."""
    return list(Question.objects.filter(petition=petition).asked())


def answered(petitions: Iterable[Petition]) -> list[Question]:
    """Every question whose answers may be kept: those asked, then those removed, one per key
    (a key asked again after its removal is the question asked now)."""
    questions = Question.objects.filter(petition__in=list(petitions)).order_by(
        "petition_id", F("removed_at").asc(nulls_first=True), "position", "id"
    )
    seen, kept = set(), []
    for question in questions:
        if question.key not in seen:
            seen.add(question.key)
            kept.append(question)
    return kept


def public(petition: Petition) -> list[Question]:
    """The questions whose answers are shown beside the signer's name, in order."""
    return list(Question.objects.filter(petition=petition, public=True).asked())


def public_keys(petition: Petition) -> list[str]:
    """The keys of the questions whose answers are shown beside the signer's name."""
    return list(
        Question.objects.filter(petition=petition, public=True)
        .asked()
        .values_list("key", flat=True)
    )


def labelled_answers(
    signature: Signature, language: str, yes: str = "yes", no: str = "no"
) -> list[tuple[str, str]]:
    """(question, answer) for each answer the signature keeps, removed questions' included, in
    the questions' order and `language`; an answer whose question is gone is named by its key."""
    if not signature.answers:
        return []
    questions = {question.key: question for question in answered([signature.petition])}
    ordered = [key for key in questions if key in signature.answers]
    ordered += sorted(key for key in signature.answers if key not in questions)
    shown = []
    for key in ordered:
        value = signature.answers[key]
        question = questions.get(key)
        if question and question.kind in ("choice", "choices"):
            labels = dict(question.options_in(language))
            value = (
                [labels.get(item, item) for item in value]
                if isinstance(value, list)
                else (labels.get(value, value))
            )
        label = question.label_in(language) if question else key
        shown.append((label, as_text(value, yes, no)))
    return shown
