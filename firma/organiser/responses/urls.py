from firma.organiser.access import admin_path
from firma.organiser.responses import views

urlpatterns = [
    admin_path("<path:object_id>/responses/", views.responses, "responses"),
    admin_path("<path:object_id>/responses/new/", views.enter, "response_enter"),
    admin_path(
        "<path:object_id>/responses/<int:response_id>/publish/", views.publish, "response_publish"
    ),
    admin_path(
        "<path:object_id>/responses/<int:response_id>/decline/", views.decline, "response_decline"
    ),
    admin_path(
        "<path:object_id>/responses/<int:response_id>/translate/",
        views.translate,
        "response_translate",
    ),
    admin_path("<path:object_id>/outcome/", views.outcome, "outcome"),
]
