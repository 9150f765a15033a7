from firma.organiser.access import admin_path
from firma.organiser.paper import views

urlpatterns = [
    admin_path("<path:object_id>/paper/", views.upload, "paper_import"),
    admin_path("<path:object_id>/paper/<str:token>/", views.review, "paper_review"),
    admin_path("<path:object_id>/paper/<str:token>/cancel/", views.cancel, "paper_cancel"),
]
