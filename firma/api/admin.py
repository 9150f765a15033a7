"""API tokens, webhooks and their deliveries in the back office: for the owners of each
organisation (and superusers) only, since they open the organisation's signers' data."""

import json

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from firma.api import tokens, webhooks
from firma.api.models import ApiToken, Event, Webhook, WebhookDelivery
from firma.api.tasks import deliver_webhook
from firma.organiser.scoping import OrganisationScopedAdmin
from firma.petitions.models import Partner
from firma.tenancy.roles import OWNER, is_superuser, organisations_for

RECENT_DELIVERIES = 10


class OwnersAdmin(OrganisationScopedAdmin):
    """Rows of the organisations the user owns; `petition_path` leads to the organisation's
    holder ("" for a model with its own `organisation`)."""

    add_role = OWNER
    change_role = OWNER
    delete_role = OWNER

    def get_queryset(self, request):
        return self.restrict(admin.ModelAdmin.get_queryset(self, request), request, OWNER)

    def has_module_permission(self, request):
        return self.allowed(request, OWNER)

    def has_view_permission(self, request, obj=None):
        return self.allowed(request, OWNER, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not is_superuser(request.user):
            kwargs["queryset"] = organisations_for(request.user, OWNER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Partner) -> str:
        return f"{obj.petition.slug}: {obj.name}"


class ApiTokenForm(forms.ModelForm):
    """A new token; one bound to a partner must be the partner's petition's organisation's."""

    class Meta:
        model = ApiToken
        fields = [
            "organisation",
            "name",
            "scope",
            "records_signatures",
            "confirmed_upstream",
            "partner",
        ]
        field_classes = {"partner": PartnerChoiceField}

    def clean(self) -> dict:
        data = super().clean()
        partner, organisation = data.get("partner"), data.get("organisation")
        if partner and organisation and partner.petition.organisation_id != organisation.pk:
            self.add_error(
                "partner",
                forms.ValidationError(
                    _("This partner is not one of the organisation's petitions' partners."),
                    code="other_organisation",
                ),
            )
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(OwnersAdmin):
    form = ApiTokenForm
    # A token cannot be changed, only revoked: a new one replaces it.
    change_role = None
    delete_role = None

    list_display = [
        "name",
        "organisation",
        "prefix",
        "scope",
        "records_signatures",
        "confirmed_upstream",
        "partner",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    # Only owners create tokens (OwnersAdmin), so only they mark one "confirmed upstream".
    fields = [
        "organisation",
        "name",
        "scope",
        "records_signatures",
        "confirmed_upstream",
        "partner",
    ]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.readonly_fields]

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return self.allowed(request, OWNER)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "partner":
            # Only the partners of petitions of organisations the user owns.
            partners = Partner.objects.defer("logo").select_related("petition")
            if not is_superuser(request.user):
                partners = partners.filter(
                    petition__organisation__in=organisations_for(request.user, OWNER)
                )
            kwargs["queryset"] = partners.order_by("petition__slug", "position")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            # Kept on the object until response_add shows it; never stored.
            obj.plain_token = tokens.issue(obj)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "title": _("API token created"),
            "opts": self.opts,
            "token": obj,
            "plain_token": obj.plain_token,
        }
        response = TemplateResponse(request, "api/token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        count = tokens.revoke(self.restrict(queryset, request, OWNER))
        message = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Receives POST requests."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[choice for choice in Event.choices if choice[0] != Event.TEST],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Webhook
        fields = ["organisation", "url", "events", "active"]


@admin.register(Webhook)
class WebhookAdmin(OwnersAdmin):
    form = WebhookForm
    list_display = ["url", "organisation", "event_list", "active", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["secret", "recent_deliveries"]
    change_form_template = "api/webhook_change_form.html"

    def get_fields(self, request, obj=None):
        fields = ["organisation", "url", "events", "active"]
        return fields if obj is None else [*fields, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.secret = webhooks.new_secret()
        super().save_model(request, obj, form, change)

    @admin.display(description=_("events"))
    def event_list(self, webhook: Webhook) -> str:
        return ", ".join(webhook.events)

    @admin.display(description=_("recent deliveries"))
    def recent_deliveries(self, webhook: Webhook) -> str:
        deliveries = webhook.deliveries.all()[:RECENT_DELIVERIES]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{d.created_at:%Y-%m-%d %H:%M:%S}",
                    d.event,
                    d.get_status_display(),
                    d.attempts,
                    d.response_code or "—",
                    d.response_excerpt[:100],
                )
                for d in deliveries
            ),
        )
        log = reverse("admin:api_webhookdelivery_changelist") + f"?webhook__id__exact={webhook.pk}"
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            '{}</table><p><a href="{}">{}</a></p>',
            _("created"),
            _("event"),
            _("status"),
            _("attempts"),
            _("last response code"),
            _("last response"),
            rows,
            log,
            _("All deliveries"),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/send-test/",
                self.admin_site.admin_view(require_POST(self.send_test_view)),
                name="api_webhook_send_test",
            ),
            *super().get_urls(),
        ]

    def send_test_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        webhook = self.get_object(request, object_id)
        if webhook is None or not self.has_change_permission(request, webhook):
            raise Http404
        webhooks.send_test(webhook)
        self.message_user(
            request,
            _("A test delivery was queued; its result appears below in a moment."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:api_webhook_change", args=[webhook.pk]))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(OwnersAdmin):
    """The delivery log: what was sent, and the receiver's last answer."""

    petition_path = "webhook"
    add_role = None
    change_role = None
    delete_role = None

    list_display = [
        "created_at",
        "webhook",
        "event",
        "status",
        "attempts",
        "response_code",
        "delivered_at",
    ]
    list_filter = ["status", "event", ("webhook", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["webhook"]
    fields = [
        "webhook",
        "uuid",
        "event",
        "status",
        "attempts",
        "response_code",
        "response_excerpt",
        "created_at",
        "delivered_at",
        "redacted_at",
        "payload_json",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("payload"))
    def payload_json(self, delivery: WebhookDelivery) -> str:
        text = json.dumps(delivery.payload, indent=2, ensure_ascii=False)
        return format_html("<pre>{}</pre>", text)

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return self.allowed(request, OWNER)

    @admin.action(description=_("Send the selected deliveries again"), permissions=["resend"])
    def send_again(self, request, queryset):
        chosen = self.restrict(queryset, request, OWNER).exclude(
            status=WebhookDelivery.Status.PENDING
        )
        # A payload whose signer's data was removed would reach the receiver without it.
        redacted = chosen.filter(redacted_at__isnull=False).count()
        with transaction.atomic():
            ids = list(chosen.filter(redacted_at__isnull=True).values_list("pk", flat=True))
            WebhookDelivery.objects.filter(pk__in=ids).update(status=WebhookDelivery.Status.PENDING)
            for delivery_id in ids:
                deliver_webhook.enqueue(delivery_id)
        message = ngettext(
            "%(count)d delivery queued again.", "%(count)d deliveries queued again.", len(ids)
        )
        self.message_user(request, message % {"count": len(ids)}, messages.SUCCESS)
        if redacted:
            refused = ngettext(
                "%(count)d delivery was not sent again: the signer's personal data was removed "
                "from it once it was delivered, given up or erased.",
                "%(count)d deliveries were not sent again: the signers' personal data was "
                "removed from them once they were delivered, given up or erased.",
                redacted,
            )
            self.message_user(request, refused % {"count": redacted}, messages.WARNING)
