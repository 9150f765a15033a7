"""The organiser's admin. Each organiser sees and acts on their organisations' petitions only,
as far as their role allows (roles.py); superusers see everything."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from firma.organiser.dashboard import urls as dashboard_urls
from firma.organiser.delivery import urls as delivery_urls
from firma.organiser.endorsements import urls as endorsement_urls
from firma.organiser.exports import urls as export_urls
from firma.organiser.exports.services import confirmed_signatures_csv, confirmed_signatures_xlsx
from firma.organiser.lifecycle import actions as lifecycle_actions
from firma.organiser.lifecycle import services as lifecycle
from firma.organiser.lifecycle import urls as lifecycle_urls
from firma.organiser.lifecycle.forms import PetitionForm
from firma.organiser.moderation import invalidations as invalidations
from firma.organiser.moderation import urls as moderation_urls
from firma.organiser.moderation.forms import InvalidationFilterForm, InvalidationForm
from firma.organiser.paper import urls as paper_urls
from firma.organiser.partners import urls as partner_urls
from firma.organiser.responses import urls as response_urls
from firma.organiser.scoping import OrganisationScopedAdmin
from firma.petitions.models import (
    Invalidation,
    Partner,
    Petition,
    PetitionText,
    Signature,
    Target,
)
from firma.petitions.partners.forms import PartnerForm
from firma.petitions.questions.admin import QuestionInline
from firma.petitions.versions import services as versions
from firma.tenancy.inlines import PetitionPartInline
from firma.tenancy.roles import (
    EDITOR,
    MODERATOR,
    OWNER,
    is_superuser,
    may,
    organisations_for,
)

# The tools' pages about one petition, under its admin URL.
tool_urls = [
    url
    for module in [
        dashboard_urls,
        delivery_urls,
        endorsement_urls,
        export_urls,
        lifecycle_urls,
        moderation_urls,
        paper_urls,
        partner_urls,
        response_urls,
    ]
    for url in module.urlpatterns
]

# How many of the signatures a filter matches the invalidation preview shows.
PREVIEW_SAMPLE = 20
# The filter form and the confirmation repeat the same fields on one page: distinct ids.
FILTER_IDS = "filter_%s"


class PetitionTextInline(PetitionPartInline, admin.StackedInline):
    """Translations: the rights of their petition (`obj` is the petition)."""

    model = PetitionText
    extra = 0
    min_num = 1


class TargetInline(PetitionPartInline, admin.StackedInline):
    """Whom the petition is addressed to: the rights of their petition, like translations.
    Stacked, like them: a table of six fields does not fit a phone, and its delete boxes have
    no labels."""

    model = Target
    extra = 0
    fields = ["position", "name", "role", "role_translations", "email", "country"]


class PartnerInline(PetitionPartInline, admin.StackedInline):
    """The organisations the petition is launched with: the rights of their petition."""

    model = Partner
    form = PartnerForm
    extra = 0
    fields = [
        "position",
        "organisation",
        "name",
        "slug",
        "website",
        "privacy_url",
        "opt_in",
        "logo_file",
        "remove_logo",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("logo")


@admin.register(Petition)
class PetitionAdmin(OrganisationScopedAdmin):
    add_role = EDITOR
    change_role = EDITOR
    delete_role = OWNER

    list_display = [
        "slug",
        "title",
        "organisation",
        "status",
        "goal",
        "confirmed_count",
        "closes_on",
        "created_at",
    ]
    list_filter = ["status", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["slug", "texts__title"]
    inlines = [PetitionTextInline, TargetInline, QuestionInline, PartnerInline]
    actions = [
        "export_confirmed_csv",
        "export_confirmed_xlsx",
        lifecycle_actions.close_petitions,
        lifecycle_actions.archive_petitions,
    ]
    change_form_template = "organiser/petition_change_form.html"
    form = PetitionForm
    fieldsets = [
        (
            None,
            {"fields": ["organisation", "slug", "status", "default_language", "goal", "closes_on"]},
        ),
        (
            _("Signing form"),
            {
                "fields": [
                    "organization_field",
                    "country_field",
                    "comment_field",
                    "challenge",
                    "allow_embedding",
                    "reminder_hours",
                ]
            },
        ),
        (
            _("Donations by bank transfer"),
            {
                "fields": [
                    "donation_holder",
                    "donation_iban",
                    "donation_bic",
                    "donation_reference",
                    "donation_cbu",
                    "donation_alias",
                    "donation_amounts",
                    "donation_currency",
                ]
            },
        ),
        (
            _("Delivery to the targets"),
            {
                "fields": [
                    "deliver_at",
                    "auto_deliver",
                    "response_days",
                    "deliver_unlisted_names",
                ]
            },
        ),
        (_("Privacy"), {"fields": ["retention_days"]}),
    ]

    def get_queryset(self, request):
        # Invalidated signatures do not count, here as on the public page.
        counted = Q(
            signatures__status=Signature.Status.CONFIRMED,
            signatures__invalidation__isnull=True,
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related("texts")
            .annotate(confirmed_count=Count("signatures", filter=counted))
        )

    def save_model(self, request, obj, form, change):
        if "deliver_at" in form.changed_data:
            obj.threshold_reached_at = None  # a new count to deliver at is announced anew
        if "status" in form.changed_data:
            # The form already set the new status; change_status notes when it closed.
            new_status = obj.status
            obj.status = form.initial.get("status", Petition.Status.DRAFT)
            obj.change_status(new_status)
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data and obj.status == Petition.Status.CLOSED:
            lifecycle.closed(obj, request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Once the translations are saved: a change to an open petition's texts is a version.
        versions.record(form.instance)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "organisation" or is_superuser(request.user):
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        # Organisers file petitions under an organisation they edit for; never under none,
        # which would leave the petition to superusers.
        choices = organisations_for(request.user, EDITOR)
        kwargs["queryset"] = choices
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        field.required = True
        if choices.count() == 1:
            field.empty_label = None
        return field

    @admin.display(description=_("title"))
    def title(self, petition: Petition) -> str:
        return petition.text_for(petition.default_language).title

    @admin.display(description=_("confirmed signatures"), ordering="confirmed_count")
    def confirmed_count(self, petition: Petition) -> int:
        return petition.confirmed_count

    def export(self, request, queryset, export):
        petitions = self.restrict(queryset, request, MODERATOR)
        slugs = list(petitions.values_list("slug", flat=True))
        name = slugs[0] if len(slugs) == 1 else "petitions"
        return export(Signature.objects.filter(petition__in=petitions), name)

    @admin.action(description=_("Export confirmed signatures (CSV)"), permissions=["export"])
    def export_confirmed_csv(self, request, queryset):
        return self.export(request, queryset, confirmed_signatures_csv)

    @admin.action(description=_("Export confirmed signatures (Excel)"), permissions=["export"])
    def export_confirmed_xlsx(self, request, queryset):
        return self.export(request, queryset, confirmed_signatures_xlsx)

    # Bulk invalidation: /admin/petitions/petition/<id>/invalidate/ and its undo.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/invalidate/",
                self.admin_site.admin_view(self.invalidate_view),
                name="{}_{}_invalidate".format(*info),
            ),
            path(
                "<path:object_id>/invalidate/<int:invalidation_id>/undo/",
                self.admin_site.admin_view(require_POST(self.undo_invalidation_view)),
                name="{}_{}_undo_invalidation".format(*info),
            ),
            *tool_urls,
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        petition = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "may_invalidate": bool(petition) and may(request.user, MODERATOR, petition),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def moderated_petition(self, request: HttpRequest, object_id: str) -> Petition:
        """The petition, if the user moderates it: 404 when they may not see it at all."""
        petition = self.get_object(request, object_id)
        if petition is None:
            raise Http404
        if not may(request.user, MODERATOR, petition):
            raise PermissionDenied
        return petition

    def invalidate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Pick signatures by criteria, preview them (GET), invalidate them as one batch (POST)."""
        petition = self.moderated_petition(request, object_id)
        confirm = None
        if request.method == "POST":
            confirm = InvalidationForm(petition, request.POST)
            if confirm.is_valid():
                batch, count = invalidations.invalidate(
                    petition, confirm.cleaned_data, confirm.cleaned_data["reason"], request.user
                )
                message = ngettext(
                    "%(count)d signature invalidated: %(filter)s.",
                    "%(count)d signatures invalidated: %(filter)s.",
                    count,
                ) % {"count": count, "filter": batch.description}
                self.log_change(request, petition, message)
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(request.path)
            criteria = InvalidationFilterForm(petition, request.POST, auto_id=FILTER_IDS)
        elif "preview" in request.GET:
            criteria = InvalidationFilterForm(petition, request.GET, auto_id=FILTER_IDS)
        else:
            criteria = InvalidationFilterForm(petition, auto_id=FILTER_IDS)

        preview = None
        if criteria.is_bound and criteria.is_valid():
            up_to = confirm.cleaned_data.get("up_to") if confirm else None
            preview = self.preview(petition, criteria.cleaned_data, up_to)
            if confirm is None:
                initial = {name: criteria[name].value() for name in criteria.fields}
                confirm = InvalidationForm(petition, initial={**initial, "up_to": preview["up_to"]})
            preview["confirm"] = confirm
            preview["criteria"] = [confirm[name] for name in criteria.fields]

        context = {
            **self.admin_site.each_context(request),
            "title": _("Invalidate signatures"),
            "opts": self.opts,
            "original": petition,
            "form": criteria,
            "preview": preview,
            "batches": petition.invalidations.select_related("created_by").annotate(
                total=Count("signatures")
            ),
        }
        return TemplateResponse(request, "organiser/invalidate.html", context)

    def preview(self, petition: Petition, criteria: dict, up_to: int | None) -> dict:
        """How many signatures the criteria match now, and a sample of them.

        `up_to`, the newest of them, goes with the confirmation: signatures arriving between
        the preview and the confirmation stay out of the batch, so the count shown holds.
        """
        matched = invalidations.matching(petition, {**criteria, "up_to": up_to})
        if up_to is None:
            up_to = matched.order_by("-pk").values_list("pk", flat=True).first() or 0
        return {
            "count": matched.count(),
            "sample": matched.order_by("created_at", "pk")[:PREVIEW_SAMPLE],
            "description": invalidations.describe(criteria),
            "up_to": up_to,
        }

    def undo_invalidation_view(
        self, request: HttpRequest, object_id: str, invalidation_id: int
    ) -> HttpResponse:
        petition = self.moderated_petition(request, object_id)
        batch = get_object_or_404(Invalidation, pk=invalidation_id, petition=petition)
        description = batch.description
        count = invalidations.undo(batch)
        message = ngettext(
            "Invalidation undone: %(count)d signature counts again (%(filter)s).",
            "Invalidation undone: %(count)d signatures count again (%(filter)s).",
            count,
        ) % {"count": count, "filter": description}
        self.log_change(request, petition, message)
        self.message_user(request, message, messages.SUCCESS)
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(
            reverse("admin:{}_{}_invalidate".format(*info), args=[petition.pk])
        )


# Each tool and the tenancy register their own models' admins; importing them registers them.
from firma.organiser.moderation import admin as moderation_admin  # noqa: E402, F401
from firma.organiser.updates import admin as update_admin  # noqa: E402, F401
from firma.tenancy import admin as tenancy_admin  # noqa: E402, F401
