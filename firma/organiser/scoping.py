from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from firma.petitions.models import Petition
from firma.petitions.selectors import petitions_for
from firma.tenancy.roles import MODERATOR, VIEWER, is_superuser, may
from firma.tenancy.roles import organisation_ids as member_of


class OrganisationScopedAdmin(admin.ModelAdmin):
    """Rows and rights follow the user's role in the organisation of each row's petition.

    `petition_path` leads from the model to its petition ("" for Petition itself). The role
    needed for each right is an attribute; None means nobody but superusers.
    """

    petition_path = ""
    add_role: str | None = None
    change_role: str | None = None
    delete_role: str | None = None

    def lookup(self, name: str) -> str:
        return f"{self.petition_path}__{name}" if self.petition_path else name

    def petition_of(self, obj) -> Petition | None:
        if obj is None:
            return None
        return getattr(obj, self.petition_path) if self.petition_path else obj

    def restrict(self, queryset: QuerySet, request: HttpRequest, role: str) -> QuerySet:
        """`queryset` without the rows of petitions where the user lacks `role`."""
        if is_superuser(request.user):
            return queryset
        return queryset.filter(**{self.lookup("organisation__in"): member_of(request.user, role)})

    def get_queryset(self, request):
        return self.restrict(super().get_queryset(request), request, VIEWER)

    def allowed(self, request: HttpRequest, role: str | None, obj=None) -> bool:
        if role is None:
            return is_superuser(request.user)
        return may(request.user, role, self.petition_of(obj))

    def has_module_permission(self, request):
        return self.allowed(request, VIEWER)

    def has_view_permission(self, request, obj=None):
        return self.allowed(request, VIEWER, obj)

    def has_add_permission(self, request):
        return self.allowed(request, self.add_role)

    def has_change_permission(self, request, obj=None):
        return self.allowed(request, self.change_role, obj)

    def has_delete_permission(self, request, obj=None):
        return self.allowed(request, self.delete_role, obj)

    def has_export_permission(self, request):
        return self.allowed(request, MODERATOR)


class PetitionFilter(admin.RelatedFieldListFilter):
    """The petition filter, offering only the petitions the organiser may see."""

    def field_choices(self, field, request, model_admin):
        return [(petition.pk, str(petition)) for petition in petitions_for(request.user)]
