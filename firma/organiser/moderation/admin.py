"""Signatures in the admin: found, judged, hidden, exported by moderators and up."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from firma.core import events
from firma.organiser.exports.services import confirmed_signatures_csv, confirmed_signatures_xlsx
from firma.organiser.moderation import invalidations as invalidations
from firma.organiser.moderation import services as moderation
from firma.organiser.moderation.filters import (
    EmailDomainFilter,
    FlagFilter,
    IPHashFilter,
    SourceFilter,
    ValidityFilter,
)
from firma.organiser.scoping import OrganisationScopedAdmin, PetitionFilter
from firma.petitions import counting
from firma.petitions.consents import exports as consent_exports
from firma.petitions.consents import selectors as consent_selectors
from firma.petitions.consents import services as consents
from firma.petitions.consents import wordings
from firma.petitions.models import ConsentRecord, Petition, Signature
from firma.petitions.questions.selectors import labelled_answers
from firma.tenancy.roles import MODERATOR, VIEWER, is_superuser, may, organisation_ids

# What the signing form observed is evidence: shown, never edited. Bulk invalidation is the way
# to take signatures out of the count, so that it can be undone.
SIGNALS = [
    "invalidation",
    "flags",
    "email_domain",
    "ip_hash",
    "user_agent_family",
    "fill_seconds",
    "challenge_used",
]
# The signer's choices: an organiser may withdraw them (a signer asked by e-mail), never make them.
CONSENTS = ["public", "news_opt_in", "organisation_news"]
CONSENT_CHOICES = {
    "public": ConsentRecord.Choice.LISTING,
    "news_opt_in": ConsentRecord.Choice.PETITION_NEWS,
    "organisation_news": ConsentRecord.Choice.ORGANISATION_NEWS,
}
# What only roles that may export e-mail addresses see (exports/services.py, INTERNAL_ROLE):
# a bounce message quotes the address.
ADDRESS_FIELDS = ["email", "email_error"]


class SignatureForm(forms.ModelForm):
    class Meta:
        model = Signature
        # The editable ones; the admin passes its own list from the fieldsets.
        fields = ["full_name", "affiliation", "country", "comment", *CONSENTS, "hidden"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in CONSENTS:
            field = self.fields.get(name)
            if field is not None and not getattr(self.instance, name):
                # A disabled field keeps its stored value, whatever is posted.
                field.disabled = True
                field.help_text = _("Only the signer can give this consent, from their link.")


@admin.register(Signature)
class SignatureAdmin(OrganisationScopedAdmin):
    petition_path = "petition"
    change_role = MODERATOR
    delete_role = MODERATOR
    form = SignatureForm

    list_display = [
        "full_name",
        "email",
        "affiliation",
        "country",
        "petition",
        "status",
        "is_valid",
        "public",
        "hidden",
        "flags",
        "email_domain_link",
        "ip_hash_link",
        "created_at",
    ]
    list_filter = [
        ("petition", PetitionFilter),
        "status",
        "kind",
        ValidityFilter,
        FlagFilter,
        EmailDomainFilter,
        IPHashFilter,
        "country",
        SourceFilter,
        ("created_at", admin.DateFieldListFilter),
        "public",
        "hidden",
        "news_opt_in",
        "organisation_news",
        "language",
    ]
    search_fields = ["full_name", "email", "affiliation", "organisation_name"]
    date_hierarchy = "created_at"
    list_select_related = ["petition"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "petition",
                    "full_name",
                    "affiliation",
                    "country",
                    "email",
                    "comment",
                    "answers_given",
                    "language",
                ]
            },
        ),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "created_at",
                    "confirmed_at",
                    "public",
                    "hidden",
                    "news_opt_in",
                    "organisation_news",
                    "email_error",
                    "anonymised_at",
                ]
            },
        ),
        (_("Consents"), {"fields": ["consent_history"]}),
        (_("Signals"), {"fields": SIGNALS}),
    ]
    # The status is the signer's to change, through the confirmation link: set here, it would
    # change the count behind the tallies' back.
    readonly_fields = [
        "petition",
        "email",
        "language",
        "status",
        "created_at",
        "confirmed_at",
        "email_error",
        "anonymised_at",
        "answers_given",
        "consent_history",
        *SIGNALS,
    ]

    @admin.display(description=_("answers"))
    def answers_given(self, obj: Signature) -> str:
        """The answers to the petition's questions, removed ones' included."""
        answers = labelled_answers(obj, get_language())
        return format_html_join(mark_safe("<br>"), "{}: {}", answers) or "—"

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if change and "country" in form.changed_data:
            # A country corrected on request moves the signature between two tallies.
            counted = Signature.objects.confirmed().filter(pk=obj.pk).exists()
            if counted:
                counting.record(obj.petition_id, form.initial.get("country") or "", -1)
                counting.record(obj.petition_id, obj.country, 1)
        super().save_model(request, obj, form, change)
        moderation.record_edit(obj, request.user, form.changed_data)
        for name in CONSENTS:
            if change and name in form.changed_data and not getattr(obj, name):
                # Withdrawn on the signer's request: recorded beside what they gave.
                consents.change(
                    obj,
                    CONSENT_CHOICES[name],
                    False,
                    wordings.by_organisers(),
                    ConsentRecord.Channel.ORGANISER,
                )

    @admin.display(description=_("consent records"))
    def consent_history(self, signature: Signature) -> str:
        if signature.pk is None:
            return "—"
        links = {
            kind: reverse(f"admin:petitions_signature_consents_{kind}", args=[signature.pk])
            for kind in consent_exports.FORMATS
        }
        context = {"records": consent_selectors.records_for(signature), "links": links}
        return render_to_string("organiser/consent_history.html", context)

    def get_urls(self):
        exports = [
            path(
                f"<path:object_id>/consents.{kind}",
                self.admin_site.admin_view(self.consents_view),
                {"kind": kind},
                name=f"petitions_signature_consents_{kind}",
            )
            for kind in consent_exports.FORMATS
        ]
        return [*exports, *super().get_urls()]

    def consents_view(self, request: HttpRequest, object_id: str, kind: str) -> HttpResponse:
        """A signature's consent records, to answer its signer's request for their data."""
        signature = self.get_object(request, object_id)
        if signature is None:
            raise Http404
        if not may(request.user, MODERATOR, signature.petition):
            raise Http404  # the records hold the address, which viewers never see
        return consent_exports.download(signature, kind)

    def delete_model(self, request, obj):
        self.delete_queryset(request, Signature.objects.filter(pk=obj.pk))

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        counting.record_signatures(queryset, -1)
        doomed: dict[int, list[int]] = {}
        for pk, petition_id in queryset.values_list("pk", "petition_id"):
            doomed.setdefault(petition_id, []).append(pk)
        queryset.delete()
        for petition in Petition.objects.filter(pk__in=doomed):
            events.personal_data_erased.send(
                Petition, petition=petition, signature_ids=doomed[petition.pk], reason="deleted"
            )

    actions = [
        "hide_from_public_list",
        "show_in_public_list",
        "export_confirmed_csv",
        "export_confirmed_xlsx",
    ]

    def sees_addresses_everywhere(self, request: HttpRequest) -> bool:
        """The user may see the e-mail address of every signature they can see."""
        user = request.user
        return is_superuser(user) or set(organisation_ids(user, VIEWER)) <= set(
            organisation_ids(user, MODERATOR)
        )

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if self.sees_addresses_everywhere(request):
            return shown

        @admin.display(description=_("e-mail"))
        def email(signature: Signature) -> str:
            return signature.email if may(request.user, MODERATOR, signature.petition) else "—"

        return [email if name == "email" else name for name in shown]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if self.sees_addresses_everywhere(request):
            return fields
        # Searching by address would tell a viewer which addresses signed.
        return [name for name in fields if name not in ADDRESS_FIELDS]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or may(request.user, MODERATOR, obj.petition):
            return fieldsets
        return [
            (
                title,
                {**options, "fields": [f for f in options["fields"] if f not in ADDRESS_FIELDS]},
            )
            for title, options in fieldsets
        ]

    def has_add_permission(self, request):
        # Signatures come from signers, who confirm them by e-mail; none is typed in here.
        return False

    @admin.display(description=_("valid"), boolean=True, ordering="invalidation")
    def is_valid(self, signature: Signature) -> bool:
        return signature.invalidation_id is None

    @admin.display(description=_("e-mail domain"), ordering="email_domain")
    def email_domain_link(self, signature: Signature) -> str:
        return self.filter_link("email_domain", signature.email_domain)

    @admin.display(description=_("IP hash"), ordering="ip_hash")
    def ip_hash_link(self, signature: Signature) -> str:
        return self.filter_link("ip_hash", signature.ip_hash, signature.ip_hash[:8] + "…")

    def filter_link(self, parameter: str, value: str, text: str = "") -> str:
        """A link to the signatures sharing `value`, to see at a glance what else came from it."""
        if not value:
            return "—"
        return format_html('<a href="?{}">{}</a>', urlencode({parameter: value}), text or value)

    @admin.action(description=_("Hide from the public list"), permissions=["change"])
    def hide_from_public_list(self, request, queryset):
        changed = moderation.hide_entries(
            self.restrict(queryset, request, MODERATOR), request.user, hidden=True
        )
        message = ngettext(
            "%(count)d signature hidden from the public list.",
            "%(count)d signatures hidden from the public list.",
            changed,
        )
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Show in the public list again"), permissions=["change"])
    def show_in_public_list(self, request, queryset):
        changed = moderation.hide_entries(
            self.restrict(queryset, request, MODERATOR), request.user, hidden=False
        )
        message = ngettext(
            "%(count)d signature shown in the public list again (if its signer chose so).",
            "%(count)d signatures shown in the public list again (if their signers chose so).",
            changed,
        )
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(
        description=_("Export the selected confirmed signatures (CSV)"), permissions=["export"]
    )
    def export_confirmed_csv(self, request, queryset):
        return confirmed_signatures_csv(self.restrict(queryset, request, MODERATOR), "selection")

    @admin.action(
        description=_("Export the selected confirmed signatures (Excel)"), permissions=["export"]
    )
    def export_confirmed_xlsx(self, request, queryset):
        return confirmed_signatures_xlsx(self.restrict(queryset, request, MODERATOR), "selection")
