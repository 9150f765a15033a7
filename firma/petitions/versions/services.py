"""Recording versions of a petition's texts and targets: what people signed. The first version
is taken when the first signature comes (current()); from then on, each save of the texts or
targets (the admin, the petition file, the API) calls record(), which adds a version when they
changed. A draft has none,
and neither has an open petition nobody signed yet: its texts were not signed under."""

import difflib
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from firma.petitions.models import Petition, PetitionVersion


def snapshot(petition: Petition) -> dict[str, dict[str, str]]:
    texts = petition.texts.order_by("language").values_list("language", "title", "body")
    return {language: {"title": title, "body": body} for language, title, body in texts}


def targets_snapshot(petition: Petition) -> list[dict]:
    """Who the petition is addressed to, as the public sees it: never a target's address."""
    return [
        {
            "name": target.name,
            "role": target.role,
            "roles": dict(sorted(target.role_translations.items())),
            "country": str(target.country or ""),
        }
        for target in petition.targets.order_by("position", "pk")
    ]


def latest(petition: Petition) -> PetitionVersion | None:
    return petition.versions.order_by("-number").first()


def record(petition: Petition, *, first: bool = False) -> PetitionVersion | None:
    """A new version if the texts changed since the last one; the current version. With
    `first`, the first version when there is none yet. None for a draft, or without `first`
    for a petition that has no version yet."""
    if petition.status == Petition.Status.DRAFT:
        return None
    last = latest(petition)
    if last is None and not first:
        return None
    texts, targets = snapshot(petition), targets_snapshot(petition)
    if last is not None and last.texts == texts and last.targets == targets:
        return last
    number = last.number + 1 if last else 1
    try:
        with transaction.atomic():
            return PetitionVersion.objects.create(
                petition=petition, number=number, texts=texts, targets=targets
            )
    except IntegrityError:  # recorded at the same moment by another request
        return latest(petition)


def current(petition: Petition) -> PetitionVersion | None:
    """The version a signature made now refers to: the latest, or the first if this is the
    first signature. None for a draft."""
    return latest(petition) or record(petition, first=True)


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class Change:
    """One language's difference between a version and the one before."""

    language: str
    title: list[Line]
    body: list[Line]


def target_line(target: dict, language: str) -> str:
    role = target["roles"].get(language) or target["role"]
    return f"{target['name']}, {role}" if role else target["name"]


def target_differences(before: list[dict], after: list[dict], language: str) -> list[Line]:
    """The targets, one a line, as added, removed or kept; empty when they did not change."""
    old = [target_line(target, language) for target in before]
    new = [target_line(target, language) for target in after]
    return diff("\n".join(old), "\n".join(new))


def differences(before: dict, after: dict) -> list[Change]:
    """What changed from `before` to `after` (PetitionVersion.texts), language by language."""
    changes = []
    for language in sorted(set(before) | set(after)):
        old = before.get(language, {"title": "", "body": ""})
        new = after.get(language, {"title": "", "body": ""})
        if old == new:
            continue
        changes.append(
            Change(language, diff(old["title"], new["title"]), diff(old["body"], new["body"]))
        )
    return changes


def diff(old: str, new: str) -> list[Line]:
    """Line by line; empty when nothing changed."""
    if old == new:
        return []
    kinds = {" ": "same", "+": "added", "-": "removed"}
    return [
        Line(kinds[line[0]], line[2:])
        for line in difflib.ndiff(old.splitlines(), new.splitlines())
        if line[0] in kinds
    ]
