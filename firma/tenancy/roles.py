"""What an organiser may do with a petition: their role in the petition's organisation decides.

Django's model permissions are not used for petitions, their translations and signatures: a
permission such as "change petition" is global, while an organiser's rights end at their
organisation. Roles rank in this order, each with the rights of the ones below:

- viewer: sees the organisation's petitions and signatures;
- moderator: also hides and deletes signatures, exports them, invalidates them in bulk;
- editor: also creates petitions and edits them with their translations;
- owner: also deletes petitions.

The partner role ranks with none of these: it sees no petition of its organisation. Any member
of an organisation that is a petition's partner (partner role or another) sees that partner's
view of the petition (firma/organiser/partners), and nothing else of its signers.

A petition without an organisation is for superusers only. Superusers may do everything.
"""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from firma.tenancy.models import Membership, Organisation

if TYPE_CHECKING:
    from firma.petitions.models import Petition

Role = Membership.Role
VIEWER, MODERATOR, EDITOR, OWNER = Role.VIEWER, Role.MODERATOR, Role.EDITOR, Role.OWNER
PARTNER = Role.PARTNER
RANKS = {VIEWER: 0, MODERATOR: 1, EDITOR: 2, OWNER: 3}

User = AbstractBaseUser | AnonymousUser


def is_superuser(user: User) -> bool:
    return bool(user.is_active and user.is_superuser)


def memberships(user: User) -> dict[int, str]:
    """{organisation id: role} of an active staff user, read once per user object."""
    if not (user.is_active and user.is_staff):
        return {}
    cached = getattr(user, "_firma_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        user._firma_roles = cached
    return cached


def organisation_ids(user: User, role: str = VIEWER) -> list[int]:
    """The organisations where `user` has `role` or a higher one."""
    return [
        organisation
        for organisation, held in memberships(user).items()
        if RANKS.get(held, -1) >= RANKS[role]
    ]


def organisations_for(user: User, role: str = VIEWER) -> QuerySet[Organisation]:
    if is_superuser(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_ids(user, role))


def may(user: User, role: str, petition: "Petition | None" = None) -> bool:
    """Whether `user` has `role` for `petition`, or, without one, for some petition."""
    if is_superuser(user):
        return True
    allowed = organisation_ids(user, role)
    if petition is None:
        return bool(allowed)
    return petition.organisation_id is not None and petition.organisation_id in allowed


def member_of(user: User, organisation_id: int | None) -> bool:
    """Whether `user` belongs to the organisation, in any role (the partner role included)."""
    return organisation_id is not None and organisation_id in memberships(user)
