"""Changing a petition's questions. A question that people answered is never deleted: it
leaves the form (removed_at) and its answers stay with the signatures, in the exports and the
API, until retention erases the signers' data."""

from django.db import transaction
from django.utils import timezone

from firma.petitions.models import Petition, Question, Signature


def is_answered(question: Question) -> bool:
    return Signature.objects.filter(
        petition=question.petition_id, answers__has_key=question.key
    ).exists()


def remove(question: Question) -> None:
    """Take the question off the form; delete it only if nobody answered it."""
    if is_answered(question):
        question.removed_at = timezone.now()
        question.save(update_fields=["removed_at"])
    else:
        question.delete()


@transaction.atomic
def replace_questions(petition: Petition, rows: list[dict]) -> list[Question]:
    """Make `rows` (key, kind, label, help_text, choices, required, public, and translations if
    given; in order) the questions asked. A question keeps its translations while its key stays
    and the row gives none; those left out are removed (see `remove`)."""
    existing = {
        question.key: question for question in Question.objects.filter(petition=petition).asked()
    }
    kept = []
    for position, row in enumerate(rows):
        question = existing.pop(row["key"], None) or Question(petition=petition, key=row["key"])
        question.kind = row["kind"]
        question.label = row["label"]
        question.help_text = row.get("help_text", "")
        question.choices = "\n".join(row.get("choices", []))
        question.required = row.get("required", False)
        question.public = row.get("public", False)
        question.position = position
        if "translations" in row:
            question.translations = row["translations"]
        question.save()
        kept.append(question)
    for question in existing.values():
        remove(question)
    return kept


@transaction.atomic
def set_translations(petition: Petition, language: str, rows: list[dict]) -> None:
    """The questions' label, help text and choices in `language`, each row naming its
    question by key; a row without them drops the translation."""
    questions = {
        question.key: question for question in Question.objects.filter(petition=petition).asked()
    }
    for row in rows:
        question = questions[row["key"]]
        translated = {
            part: row[part] for part in ("label", "help_text", "choices") if row.get(part)
        }
        if translated:
            question.translations[language] = translated
        else:
            question.translations.pop(language, None)
        question.save(update_fields=["translations"])
