"""Changing a petition's partners."""

from django.db import transaction
from django.utils.translation import gettext as _

from firma.petitions.models import Partner, PartnerOptIn, Petition, Signature


class PartnersError(Exception):
    pass


@transaction.atomic
def replace_partners(petition: Petition, rows: list[dict]) -> None:
    """The petition's partners become `rows` (Partner fields), in order. A partner keeps its
    logo, its signatures and its consents when its slug stays; one whose signers consented
    to hear from it is never removed with their consents."""
    slugs = [row["slug"] for row in rows]
    if len(set(slugs)) < len(slugs):
        raise PartnersError(_("Two partners have the same slug or name."))
    existing = {partner.slug: partner for partner in petition.partners.all()}
    leaving = [partner for slug, partner in existing.items() if slug not in slugs]
    for partner in leaving:
        if partner.opt_ins.exists():
            raise PartnersError(
                _("Partner '%(name)s' cannot be removed: signers consented to hear from it.")
                % {"name": partner.name}
            )
        partner.delete()
    for position, row in enumerate(rows):
        partner = existing.get(row["slug"]) or Partner(petition=petition)
        for name, value in row.items():
            setattr(partner, name, value)
        partner.position = position
        partner.save()


def withdraw_consents(signature: Signature) -> None:
    """The signer takes back every consent given to the petition's partners: from now on no
    partner's export holds them."""
    PartnerOptIn.objects.filter(signature=signature).delete()
