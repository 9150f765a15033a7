from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from firma.petitions.models import Petition, PetitionText, Signature

from .exports import confirmed_signatures_csv


class PetitionTextInline(admin.StackedInline):
    model = PetitionText
    extra = 0
    min_num = 1


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "status", "goal", "confirmed_count", "closes_on", "created_at"]
    list_filter = ["status"]
    search_fields = ["slug", "texts__title"]
    inlines = [PetitionTextInline]
    actions = ["export_confirmed_csv"]
    fieldsets = [
        (None, {"fields": ["slug", "status", "default_language", "goal", "closes_on"]}),
        (_("Signing form"), {"fields": ["organization_field", "country_field", "comment_field"]}),
        (
            _("Donations by bank transfer"),
            {"fields": ["donation_holder", "donation_iban", "donation_bic", "donation_reference"]},
        ),
    ]

    def get_queryset(self, request):
        confirmed = Q(signatures__status=Signature.Status.CONFIRMED)
        return (
            super()
            .get_queryset(request)
            .prefetch_related("texts")
            .annotate(confirmed_count=Count("signatures", filter=confirmed))
        )

    @admin.display(description=_("title"))
    def title(self, petition: Petition) -> str:
        return petition.text_for(petition.default_language).title

    @admin.display(description=_("confirmed signatures"), ordering="confirmed_count")
    def confirmed_count(self, petition: Petition) -> int:
        return petition.confirmed_count

    @admin.action(description=_("Export confirmed signatures (CSV)"))
    def export_confirmed_csv(self, request, queryset):
        slugs = list(queryset.values_list("slug", flat=True))
        name = slugs[0] if len(slugs) == 1 else "petitions"
        return confirmed_signatures_csv(Signature.objects.filter(petition__in=queryset), name)


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "email",
        "organization",
        "country",
        "petition",
        "status",
        "public",
        "hidden",
        "created_at",
    ]
    list_filter = [
        "petition",
        "status",
        "country",
        ("created_at", admin.DateFieldListFilter),
        "public",
        "hidden",
        "news_opt_in",
        "language",
    ]
    search_fields = ["full_name", "email", "organization"]
    date_hierarchy = "created_at"
    list_select_related = ["petition"]
    readonly_fields = ["petition", "email", "language", "created_at", "confirmed_at", "email_error"]
    actions = ["hide_from_public_list", "show_in_public_list", "export_confirmed_csv"]

    @admin.action(description=_("Hide from the public list"))
    def hide_from_public_list(self, request, queryset):
        changed = queryset.update(hidden=True)
        message = ngettext(
            "%(count)d signature hidden from the public list.",
            "%(count)d signatures hidden from the public list.",
            changed,
        )
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Show in the public list again"))
    def show_in_public_list(self, request, queryset):
        changed = queryset.update(hidden=False)
        message = ngettext(
            "%(count)d signature shown in the public list again (if its signer chose so).",
            "%(count)d signatures shown in the public list again (if their signers chose so).",
            changed,
        )
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Export the selected confirmed signatures (CSV)"))
    def export_confirmed_csv(self, request, queryset):
        return confirmed_signatures_csv(queryset, "selection")
