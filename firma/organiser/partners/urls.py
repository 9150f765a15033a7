from firma.organiser.access import admin_path
from firma.organiser.partners import views

urlpatterns = [
    admin_path("<path:object_id>/partners/", views.partners, "partners"),
    admin_path("<path:object_id>/partners/<int:partner_id>/", views.partner_view, "partner"),
    admin_path(
        "<path:object_id>/partners/<int:partner_id>/consents.csv",
        views.partner_export,
        "partner_export",
    ),
]
