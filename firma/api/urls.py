from django.urls import re_path

from . import views

app_name = "api"
urlpatterns = [
    re_path(r"^petitions/(?P<slug>[-\w]+)/?$", views.petition_detail, name="petition"),
]
