from django.urls import re_path

from firma.api import ledger_views, manage_views, osdi, osdi_helper, public_views, views

app_name = "api"

# Any non-empty segment: the document declares the slug as a string, so every one reaches its
# view (a JSON 404 for no such petition, 204 to OPTIONS) rather than the catch-all.
SLUG = r"(?P<slug>[^/]+)"
V1 = r"^v1/"
END = r"/?$"

urlpatterns = [
    re_path(r"^petitions/" + SLUG + END, views.petition_detail, name="petition"),
    re_path(r"^openapi\.json$", views.openapi_document, name="openapi"),
    # Public, read-only.
    re_path(V1 + "petitions" + END, public_views.petitions, name="v1-petitions"),
    re_path(V1 + f"petitions/{SLUG}" + END, public_views.petition, name="v1-petition"),
    re_path(
        V1 + f"petitions/{SLUG}/counts/countries" + END,
        public_views.counts_by_country,
        name="v1-counts-by-country",
    ),
    re_path(
        V1 + f"petitions/{SLUG}/counts/days" + END,
        public_views.counts_by_day,
        name="v1-counts-by-day",
    ),
    re_path(V1 + f"petitions/{SLUG}/signers" + END, public_views.signers, name="v1-signers"),
    re_path(V1 + "ledger/public-key" + END, ledger_views.public_key, name="v1-ledger-key"),
    re_path(V1 + f"petitions/{SLUG}/ledger/head" + END, ledger_views.head, name="v1-ledger-head"),
    re_path(
        V1 + f"petitions/{SLUG}/ledger/heads" + END, ledger_views.heads, name="v1-ledger-heads"
    ),
    re_path(
        V1 + f"petitions/{SLUG}/ledger/leaves" + END, ledger_views.leaves, name="v1-ledger-leaves"
    ),
    re_path(
        V1 + f"petitions/{SLUG}/ledger/consistency" + END,
        ledger_views.consistency,
        name="v1-ledger-consistency",
    ),
    re_path(
        V1 + f"petitions/{SLUG}/ledger/inclusion" + END,
        ledger_views.inclusion,
        name="v1-ledger-inclusion",
    ),
    # With an organisation's API token.
    re_path(V1 + "manage/petitions" + END, manage_views.petitions, name="v1-manage-petitions"),
    re_path(
        V1 + f"manage/petitions/{SLUG}" + END, manage_views.petition, name="v1-manage-petition"
    ),
    re_path(
        V1 + f"manage/petitions/{SLUG}/texts/(?P<language>[^/]+)" + END,
        manage_views.petition_text,
        name="v1-manage-text",
    ),
    re_path(
        V1 + f"manage/petitions/{SLUG}/signatures" + END,
        manage_views.signatures,
        name="v1-manage-signatures",
    ),
    re_path(
        V1 + f"manage/petitions/{SLUG}/signatures/(?P<signature_id>[^/]+)/consents" + END,
        manage_views.consents,
        name="v1-manage-consents",
    ),
    re_path(
        V1 + "manage/petitions/(?P<slug>[^/]+?)/signatures\\.csv$",
        manage_views.export,
        name="v1-manage-export",
    ),
    re_path(
        V1 + f"manage/petitions/{SLUG}/responses" + END,
        manage_views.responses,
        name="v1-manage-responses",
    ),
    re_path(
        V1 + f"manage/petitions/{SLUG}/outcome" + END,
        manage_views.outcome,
        name="v1-manage-outcome",
    ),
    re_path(
        V1 + f"manage/petitions/{SLUG}/targets" + END,
        manage_views.targets,
        name="v1-manage-targets",
    ),
    re_path(
        V1 + f"manage/petitions/{SLUG}/deliveries" + END,
        manage_views.deliveries,
        name="v1-manage-deliveries",
    ),
    re_path(
        V1 + f"osdi/petitions/{SLUG}/signatures" + END,
        osdi.signatures,
        name="v1-osdi-signatures",
    ),
    re_path(
        V1 + f"osdi/petitions/{SLUG}/record_signature_helper" + END,
        osdi_helper.record_signature_helper,
        name="v1-osdi-record-signature",
    ),
    re_path(r"^(?P<path>.*)$", views.unknown),
]
