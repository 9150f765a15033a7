"""Reading a petition's questions: those asked on the form, and those whose answers are kept."""

from collections.abc import Iterable

from firma.petitions.models import Petition, Question


def asked(petition: Petition) -> list[Question]:
    """The questions on the form now, in order."""
    return list(Question.objects.filter(petition=petition).asked())


def answered(petitions: Iterable[Petition]) -> list[Question]:
    """Every question whose answers may be kept: those asked, then those removed, one per key
    (a key asked again after its removal is the question asked now)."""
    questions = Question.objects.filter(petition__in=list(petitions)).order_by(
        "petition_id", "removed_at", "position", "id"
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
