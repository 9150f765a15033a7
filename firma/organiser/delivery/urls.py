from firma.organiser.access import admin_path
from firma.organiser.delivery import views

urlpatterns = [
    admin_path("<path:object_id>/delivery/", views.delivery, "delivery"),
    admin_path("<path:object_id>/delivery/record/", views.record, "delivery_record"),
]
