from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from firma.core import health as health
from firma.organiser.delivery import views as delivery_views
from firma.petitions.page import views as petition_views

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("", petition_views.home, name="home"),
    path("p/<slug:slug>/", petition_views.petition_redirect, name="petition-redirect"),
    path("admin/", admin.site.urls),
    path("api/", include("firma.api.urls")),
    # The signatures a target opens from the delivery e-mail: the signed token is the key.
    path("delivered/<str:token>/signatures.pdf", delivery_views.document, name="delivery-document"),
    *i18n_patterns(
        path("", include("firma.petitions.urls")),
        path("", include("firma.organiser.feeds.urls")),
        path("", include("firma.ledger.urls")),
    ),
]
