""" "This wasn't me": an address that disowns a signature gets nothing more from the petition.

The address is remembered as an HMAC keyed with a key derived from SECRET_KEY: the same address
always gives the same key, so it can be checked, but the stored key cannot be turned back into
the address, nor checked against a list of guessed addresses without the secret.
"""

from django.db import transaction
from django.utils.crypto import salted_hmac

from firma.petitions.models import Signature, Suppression
from firma.petitions.rules import mailboxes

KEY_SALT = "firma.petitions.mail.suppression"


def address_key(petition_id: int, email: str) -> str:
    """The key of the address's mailbox, so that a variant of it (rules.mailboxes) is known too."""
    box = mailboxes.mailbox(email)
    return salted_hmac(KEY_SALT, f"{petition_id}:{box}", algorithm="sha256").hexdigest()


def is_suppressed(petition_id: int, email: str) -> bool:
    return Suppression.objects.filter(
        petition_id=petition_id, address_key=address_key(petition_id, email)
    ).exists()


def disown(signature: Signature) -> bool:
    """Delete a pending signature and stop the petition's e-mails to its address, at once.

    A confirmed signature is left alone (its signer confirmed it; they delete it through their
    own link): False then. A pending one never counted, so no count changes.
    """
    with transaction.atomic():
        doomed = Signature.objects.select_for_update().filter(
            pk=signature.pk, status=Signature.Status.PENDING
        )
        found = doomed.first()
        if found is None:
            return False
        Suppression.objects.get_or_create(
            petition_id=found.petition_id, address_key=address_key(found.petition_id, found.email)
        )
        doomed.delete()
    return True
