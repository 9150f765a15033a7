from firma.organiser.access import admin_path
from firma.organiser.exports import views

urlpatterns = [
    admin_path("<path:object_id>/export/", views.export, "export"),
]
