"""Changing a petition's partners."""

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from firma.petitions.consents import selectors as consent_selectors
from firma.petitions.consents import services as consents
from firma.petitions.consents import wordings
from firma.petitions.models import ConsentRecord, Partner, Petition, Signature


class PartnersError(Exception):
    pass


@transaction.atomic
def replace_partners(petition: Petition, rows: list[dict]) -> None:
    """The petition's partners become `rows` (Partner fields), in order. A partner keeps its
    logo, its signatures and its consents when its slug stays; one that signers' consent
    records or an API token name is never removed from under them."""
    slugs = [row["slug"] for row in rows]
    if len(set(slugs)) < len(slugs):
        raise PartnersError(_("Two partners have the same slug or name."))
    existing = {partner.slug: partner for partner in petition.partners.all()}
    leaving = [partner for slug, partner in existing.items() if slug not in slugs]
    for partner in leaving:
        try:
            partner.delete()
        except (ProtectedError, RestrictedError):
            raise PartnersError(
                _(
                    "Partner '%(name)s' cannot be removed: consent records or API tokens "
                    "refer to it."
                )
                % {"name": partner.name}
            ) from None
    for position, row in enumerate(rows):
        partner = existing.get(row["slug"]) or Partner(petition=petition)
        for name, value in row.items():
            setattr(partner, name, value)
        partner.position = position
        partner.save()


@transaction.atomic
def withdraw_consents(signature: Signature, channel: str) -> int:
    """The signer takes back every consent given to the petition's partners: a record for
    each, in the words they pressed, so that no partner's export holds them from now on.
    Returns how many were withdrawn."""
    given = consent_selectors.partners_given(signature)
    pressed = wordings.withdrawal(ConsentRecord.Choice.PARTNER)
    for record in given:
        consents.change(
            signature, ConsentRecord.Choice.PARTNER, False, pressed, channel, record.partner_id
        )
    return len(given)
