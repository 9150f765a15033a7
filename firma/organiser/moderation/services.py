"""Moderating single signatures: what the public list shows of them, and whether they count.

Each change writes an audit entry in its own transaction. The entries name no signer and keep
no old value: the log outlives the signers' data, which retention erases.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from firma.core import events as events
from firma.organiser.audit import services as audit
from firma.organiser.audit.services import Action
from firma.petitions import counting
from firma.petitions.models import Invalidation, Petition, Signature


def locked(signature: Signature) -> Signature:
    return Signature.objects.select_for_update().get(pk=signature.pk)


@transaction.atomic
def hide_comment(signature: Signature, user: AbstractBaseUser, hidden: bool) -> bool:
    """Hide (or show again) the comment in the public list; False if nothing changed."""
    changed = Signature.objects.filter(pk=signature.pk).exclude(comment_hidden=hidden)
    if not changed.update(comment_hidden=hidden):
        return False
    signature.comment_hidden = hidden
    action = Action.COMMENT_HIDDEN if hidden else Action.COMMENT_SHOWN
    audit.record(signature.petition, user, action, signature_id=signature.pk)
    return True


@transaction.atomic
def hide_entry(signature: Signature, user: AbstractBaseUser, hidden: bool) -> bool:
    """Leave the whole entry out of the public list (it still counts), or put it back."""
    changed = Signature.objects.filter(pk=signature.pk).exclude(hidden=hidden)
    if not changed.update(hidden=hidden):
        return False
    signature.hidden = hidden
    action = Action.ENTRY_HIDDEN if hidden else Action.ENTRY_SHOWN
    audit.record(signature.petition, user, action, signature_id=signature.pk)
    return True


@transaction.atomic
def hide_entries(signatures, user: AbstractBaseUser, hidden: bool) -> int:
    """hide_entry for many signatures at once (the admin's list actions)."""
    changing = list(signatures.exclude(hidden=hidden).select_related("petition").order_by("pk"))
    Signature.objects.filter(pk__in=[signature.pk for signature in changing]).update(hidden=hidden)
    action = Action.ENTRY_HIDDEN if hidden else Action.ENTRY_SHOWN
    for signature in changing:
        audit.record(signature.petition, user, action, signature_id=signature.pk)
    return len(changing)


@transaction.atomic
def correct_name(
    signature: Signature, user: AbstractBaseUser, full_name: str, note: str = ""
) -> bool:
    """Change the name shown for a signer, at their request."""
    if signature.full_name == full_name:
        return False
    Signature.objects.filter(pk=signature.pk).update(full_name=full_name)
    signature.full_name = full_name
    audit.record(signature.petition, user, Action.NAME_CORRECTED, note, signature.pk)
    return True


def record_edit(signature: Signature, user: AbstractBaseUser, fields: list[str]) -> None:
    """Audit a change made in the signature's admin form (which saves in a transaction)."""
    if fields:
        detail = ", ".join(sorted(fields))
        audit.record(signature.petition, user, Action.EDITED, detail, signature.pk)


@transaction.atomic
def invalidate(signature: Signature, user: AbstractBaseUser, reason: str) -> bool:
    """Take one signature out of the count, as a batch of its own (see invalidations.py), so
    that it shows with the bulk invalidations and can be undone the same way."""
    current = locked(signature)
    if current.invalidation_id is not None:
        return False
    petition = signature.petition
    batch = Invalidation.objects.create(
        petition=petition,
        description=_("signature #%(id)d") % {"id": signature.pk},
        reason=reason,
        created_by=user,
    )
    one = Signature.objects.filter(pk=signature.pk)
    counting.record_signatures(one, -1)
    one.update(invalidation=batch)
    signature.invalidation = batch
    audit.record(petition, user, Action.INVALIDATED, reason, signature.pk)
    events.signatures_invalidated.send(Petition, petition=petition, signature_ids=[signature.pk])
    return True


@transaction.atomic
def restore(signature: Signature, user: AbstractBaseUser) -> bool:
    """Count one invalidated signature again; its batch goes once nothing is left in it."""
    current = locked(signature)
    if current.invalidation_id is None:
        return False
    petition = signature.petition
    batch = current.invalidation
    one = Signature.objects.filter(pk=signature.pk)
    counting.record_signatures(one, 1, among_invalidated=True)
    one.update(invalidation=None)
    signature.invalidation = None
    if not batch.signatures.exists():
        batch.delete()
    audit.record(petition, user, Action.RESTORED, batch.description, signature.pk)
    events.signatures_restored.send(Petition, petition=petition, signature_ids=[signature.pk])
    return True
