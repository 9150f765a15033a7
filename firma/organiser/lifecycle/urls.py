from firma.organiser.access import admin_path
from firma.organiser.lifecycle import views

urlpatterns = [
    admin_path("<path:object_id>/close/", views.close_view, "close"),
    admin_path("<path:object_id>/archive/", views.archive_view, "archive"),
    admin_path("<path:object_id>/preview/", views.preview_view, "preview"),
]
