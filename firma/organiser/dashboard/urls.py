from firma.organiser.access import admin_path
from firma.organiser.dashboard import views

urlpatterns = [
    admin_path("<path:object_id>/dashboard/", views.dashboard_view, "dashboard"),
    admin_path(
        "<path:object_id>/dashboard/<slug:chart>.csv", views.chart_csv_view, "dashboard_csv"
    ),
]
