"""Writing a petition's targets, and receiving a target's answer."""

from django.db import transaction
from django.utils.translation import gettext as _

from firma.petitions.models import DeliveryRecipient, Petition, Response, Target
from firma.petitions.outreach import mail


class TargetsError(ValueError):
    pass


@transaction.atomic
def replace_targets(petition: Petition, rows: list[dict]) -> list[Target]:
    """Make `rows` (name, role, email, country; in order) the petition's targets.

    A target keeps its row, and its roles in other languages, when a row has its name. Targets
    left out are removed, unless something was delivered to them: the record of a delivery
    stays whole.
    """
    existing = {target.name: target for target in petition.targets.all()}
    kept = []
    for position, row in enumerate(rows):
        target = existing.pop(row["name"], None) or Target(petition=petition, name=row["name"])
        target.role = row.get("role", "")
        target.email = row.get("email", "")
        target.country = row.get("country", "")
        target.position = position
        target.save()
        kept.append(target)
    for target in existing.values():
        if not target.recipients.exists():
            target.delete()
    return kept


@transaction.atomic
def set_roles(petition: Petition, language: str, rows: list[dict]) -> None:
    """The targets' roles in `language`, given in the order of the targets."""
    targets = list(petition.targets.all())
    if len(rows) > len(targets):
        raise TargetsError(
            _("%(given)d targets given, but the petition has %(count)d.")
            % {"given": len(rows), "count": len(targets)}
        )
    for target, row in zip(targets, rows, strict=False):
        if row.get("name") and row["name"] != target.name:
            raise TargetsError(
                _("Target %(number)d is %(name)s, not %(given)s: give them in the same order.")
                % {"number": targets.index(target) + 1, "name": target.name, "given": row["name"]}
            )
        if row.get("role"):
            target.role_translations[language] = row["role"]
        else:
            target.role_translations.pop(language, None)
        target.save(update_fields=["role_translations"])


@transaction.atomic
def receive_response(
    recipient: DeliveryRecipient, text: str, document_url: str, language: str
) -> Response:
    """A target's answer through their private link: it waits for the organisers, who are told."""
    delivery = recipient.delivery
    response = Response.objects.create(
        petition=delivery.petition,
        target=recipient.target,
        delivery=delivery,
        text=text,
        document_url=document_url,
        language=language,
        source=Response.Source.LINK,
        status=Response.Status.PENDING,
    )
    for user_id in mail.organisers(delivery.petition):
        mail.send_response_notice.enqueue(response.pk, user_id)
    return response
