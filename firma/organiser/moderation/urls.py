from firma.organiser.access import admin_path
from firma.organiser.moderation import views

urlpatterns = [
    admin_path("<path:object_id>/moderation/", views.signatures_view, "moderation"),
    admin_path("<path:object_id>/moderation/<int:signature_id>/", views.signature_view, "moderate"),
    admin_path("<path:object_id>/audit/", views.audit_view, "audit"),
    admin_path("<path:object_id>/resend/", views.resend_view, "resend"),
]
