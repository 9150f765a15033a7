"""firma's admin site: the stock one, plus two-factor logins and an organisation-aware
"view on site" (see AdminConfig in apps.py, which makes it `admin.site`)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from firma.tenancy import twofactor as twofactor
from firma.tenancy.forms import AdminLoginForm


def has_device(user: AbstractBaseUser) -> bool:
    """Whether `user` registered an authenticator app, read once per user object."""
    if not hasattr(user, "_firma_has_device"):
        user._firma_has_device = any(devices_for_user(user))
    return user._firma_has_device


class AdminSite(admin.AdminSite):
    site_header = _("firma administration")
    site_title = _("firma admin")
    index_template = "organiser/admin_index.html"
    login_form = AdminLoginForm
    login_template = "organiser/login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        """Staff, and verified by their authenticator app when they have one or the site
        requires it (ADMIN_REQUIRE_2FA): a password alone then opens nothing."""
        if not super().has_permission(request):
            return False
        user = request.user
        if user.is_verified():
            return True
        return not settings.ADMIN_REQUIRE_2FA and not has_device(user)

    def each_context(self, request: HttpRequest) -> dict:
        context = super().each_context(request)
        context["require_2fa"] = settings.ADMIN_REQUIRE_2FA
        return context

    def get_urls(self) -> list:
        urls = [
            path("two-factor/", self.admin_view(self.two_factor), name="two_factor"),
        ]
        for pattern in super().get_urls():
            if getattr(pattern, "name", None) == "view_on_site":
                pattern = path(
                    "r/<path:content_type_id>/<path:object_id>/",
                    self.admin_view(self.view_on_site),
                    name="view_on_site",
                )
            urls.append(pattern)
        return urls

    def two_factor(self, request: HttpRequest) -> HttpResponse:
        return twofactor.manage(self, request)

    def view_on_site(self, request: HttpRequest, content_type_id: str, object_id: str):
        """Django's redirect to an object's public page, only for objects the user may see:
        its stock version would reveal any draft petition's address to any staff member."""
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist):
            raise Http404 from None
        model_admin = self._registry.get(model)
        obj = model_admin.get_object(request, object_id) if model_admin else None
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404
        return shortcut(request, content_type_id, object_id)
