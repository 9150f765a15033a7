from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class OrganiserConfig(AppConfig):
    name = "firma.organiser"
    verbose_name = _("Organiser")
    # The module holds two configurations (AdminConfig below): this one is the app's own.
    default = True

    def ready(self) -> None:
        from firma.core import periodic
        from firma.organiser.delivery import services as delivery
        from firma.organiser.lifecycle import services as lifecycle

        periodic.register(*lifecycle.PERIODIC, *delivery.PERIODIC)


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with firma's site (two-factor logins) as `admin.site`.

    INSTALLED_APPS lists it instead of "django.contrib.admin", so every ModelAdmin, ours and
    the third-party ones (django-otp, django-axes), registers on that one site.
    """

    default = False
    default_site = "firma.tenancy.sites.AdminSite"
