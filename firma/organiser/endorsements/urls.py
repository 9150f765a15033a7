from firma.organiser.access import admin_path
from firma.organiser.endorsements import views

urlpatterns = [
    admin_path("<path:object_id>/endorsements/", views.endorsements, "endorsements"),
    admin_path(
        "<path:object_id>/endorsements/<int:signature_id>/verify/",
        views.verify,
        "endorsement_verify",
    ),
    admin_path(
        "<path:object_id>/endorsements/<int:signature_id>/decline/",
        views.decline,
        "endorsement_decline",
    ),
]
