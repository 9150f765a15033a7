"""`{% ledger_status signature token %}`: on the signer's own page, whether their signature is
in the public ledger, with links to the proof. A tag, so that the self-service pages need not
import the ledger (it sits above them)."""

from django import template

from firma.ledger.models import Salt
from firma.ledger.selectors import latest_head

register = template.Library()


@register.inclusion_tag("ledger/status.html")
def ledger_status(signature, token: str) -> dict:
    salt = Salt.objects.filter(signature_id=signature.pk).first()
    head = latest_head(signature.petition) if salt else None
    return {
        "signature": signature,
        "token": token,
        "salt": salt,
        "head": head,
        "signed": head is not None and salt.first_leaf < head["size"],
    }
