from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    path("", views.index, name="index"),
    path("p/<slug:slug>/", views.detail, name="detail"),
    path("p/<slug:slug>/sign/", views.sign, name="sign"),
    path("p/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("p/<slug:slug>/confirm/<str:token>/", views.confirm, name="confirm"),
    path("p/<slug:slug>/confirmed/", views.confirmed, name="confirmed"),
]
