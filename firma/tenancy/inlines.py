"""Inlines in the admin that take the rights of the object they belong to."""

from firma.tenancy.roles import EDITOR, VIEWER, may


class PetitionPartInline:
    """An inline of a petition's parts (texts, targets, questions, partners), with the rights of
    their petition (`obj`): its viewers see them, its editors change them."""

    def has_view_permission(self, request, obj=None):
        return may(request.user, VIEWER, obj)

    def has_add_permission(self, request, obj=None):
        return may(request.user, EDITOR, obj)

    def has_change_permission(self, request, obj=None):
        return may(request.user, EDITOR, obj)

    def has_delete_permission(self, request, obj=None):
        return may(request.user, EDITOR, obj)
