"""Updates to signers in the organiser's admin: editors write them per language, preview the
e-mails, send them, and pause and resume the sending (updates.py does the sending). Viewers and
moderators read them; other organisations do not see them at all."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from firma.organiser.scoping import OrganisationScopedAdmin, PetitionFilter
from firma.organiser.updates import services as updates
from firma.organiser.updates.models import Update, UpdateText
from firma.petitions.selectors import petitions_for
from firma.tenancy.roles import EDITOR, OWNER, VIEWER, may

Status = Update.Status


def editable(user: AbstractBaseUser, update: Update | None) -> bool:
    """Editors write and change drafts; what went out stays as it went out."""
    if update is None:
        return may(user, EDITOR)
    return update.status == Status.DRAFT and may(user, EDITOR, update.petition)


def default_language_name(update: Update) -> str:
    return get_language_info(update.petition.default_language)["name_translated"]


class UpdateTextFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        update = self.instance
        if update.petition_id is None:
            return  # the petition itself is missing: its field says so
        languages = {
            form.cleaned_data.get("language")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        if update.petition.default_language not in languages:
            raise ValidationError(
                _(
                    "Write the update in the petition's default language (%(language)s) too: "
                    "signers whose language is missing get that text."
                ),
                code="default_language_missing",
                params={"language": default_language_name(update)},
            )


class UpdateTextInline(admin.StackedInline):
    """The texts: the rights of their update (`obj` is the update)."""

    model = UpdateText
    formset = UpdateTextFormSet
    extra = 0
    min_num = 1

    def has_view_permission(self, request, obj=None):
        return may(request.user, VIEWER, obj.petition if obj else None)

    def has_add_permission(self, request, obj=None):
        return editable(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return editable(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return editable(request.user, obj)


class SendForm(forms.Form):
    """Sending cannot be undone: whether the update can go is checked once more."""

    def __init__(self, update: Update, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.update = update

    def clean(self) -> dict:
        update = self.update
        if update.status != Status.DRAFT:
            raise ValidationError(_("This update has been sent already."), code="not_a_draft")
        languages = {text.language for text in update.texts.all()}
        if update.petition.default_language not in languages:
            raise ValidationError(
                _("The update has no text in the petition's default language (%(language)s)."),
                code="default_language_missing",
                params={"language": default_language_name(update)},
            )
        return super().clean()


@admin.register(Update)
class UpdateAdmin(OrganisationScopedAdmin):
    petition_path = "petition"
    add_role = EDITOR
    change_role = EDITOR
    delete_role = EDITOR

    list_display = ["subject", "petition", "status", "published_at", "created_by"]
    list_filter = ["status", ("petition", PetitionFilter)]
    search_fields = ["texts__subject"]
    list_select_related = ["petition", "created_by"]
    fields = ["petition", "status", "created_by", "created_at", "published_at"]
    readonly_fields = ["status", "created_by", "created_at", "published_at"]
    inlines = [UpdateTextInline]
    change_form_template = "organiser/update_change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("texts")

    @admin.display(description=_("subject"))
    def subject(self, update: Update) -> str:
        default = update.petition.default_language
        text = updates.text_for(update.texts.all(), default, default)
        return text.subject if text else "—"

    def has_change_permission(self, request, obj=None):
        return editable(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # A published update leaves the petition page with it: the owners decide that.
        if obj is None or obj.status == Status.DRAFT:
            return super().has_delete_permission(request, obj)
        return may(request.user, OWNER, obj.petition)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "petition":
            kwargs["queryset"] = petitions_for(request.user, EDITOR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            path("<path:object_id>/send/", view(self.send_view), name="{}_{}_send".format(*info)),
            path(
                "<path:object_id>/pause/",
                view(require_POST(self.pause_view)),
                name="{}_{}_pause".format(*info),
            ),
            path(
                "<path:object_id>/resume/",
                view(require_POST(self.resume_view)),
                name="{}_{}_resume".format(*info),
            ),
            *super().get_urls(),
        ]

    def visible_update(self, request: HttpRequest, object_id: str) -> Update:
        """The update, if the user may see it: 404 for another organisation's."""
        update = self.get_object(request, object_id)
        if update is None:
            raise Http404
        return update

    def sendable_update(self, request: HttpRequest, object_id: str) -> Update:
        """The update, if the user may send it: 403 for viewers and moderators."""
        update = self.visible_update(request, object_id)
        if not may(request.user, EDITOR, update.petition):
            raise PermissionDenied
        return update

    def page_context(self, request: HttpRequest, update: Update, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "original": update,
            "may_send": may(request.user, EDITOR, update.petition),
        }

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Each text as the signers writing in its language will get it."""
        update = self.visible_update(request, object_id)
        previews = [
            (text, updates.preview(update, text, request.user)) for text in update.texts.all()
        ]
        context = {**self.page_context(request, update, _("Preview")), "previews": previews}
        return TemplateResponse(request, "organiser/update_preview.html", context)

    def send_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """How far sending has come (GET); send the draft (POST)."""
        update = self.visible_update(request, object_id)
        form = None
        if request.method == "POST":
            update = self.sendable_update(request, object_id)
            form = SendForm(update, request.POST)
            if form.is_valid():
                # False only if someone else sent it meanwhile: the page then shows how far.
                if updates.send(update):
                    self.log_change(request, update, gettext("Published and sent to the signers."))
                    self.message_user(
                        request, _("The update is published and being sent."), messages.SUCCESS
                    )
                return HttpResponseRedirect(request.path)
        context = {
            **self.page_context(request, update, _("Send to the signers")),
            "form": form,
            "progress": updates.progress(update),
            "send_rate": settings.UPDATE_SEND_RATE,
        }
        status = 400 if form is not None else 200
        return TemplateResponse(request, "organiser/update_send.html", context, status=status)

    def pause_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        update = self.sendable_update(request, object_id)
        if updates.pause(update):
            self.log_change(request, update, gettext("Sending paused."))
            self.message_user(request, _("Sending paused."), messages.SUCCESS)
        return self.back_to_sending(update)

    def resume_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        update = self.sendable_update(request, object_id)
        if updates.resume(update):
            self.log_change(request, update, gettext("Sending resumed."))
            self.message_user(request, _("Sending resumed."), messages.SUCCESS)
        return self.back_to_sending(update)

    def back_to_sending(self, update: Update) -> HttpResponse:
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(reverse("admin:{}_{}_send".format(*info), args=[update.pk]))
