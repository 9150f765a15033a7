"""Organisers register their own authenticator app (TOTP) at /admin/two-factor/.

A new device starts unconfirmed; it counts once the organiser typed a code it produced, which
proves the app holds the secret. The QR code is an SVG made here with segno and shown as a data:
image (the CSP allows img-src data:), so the secret never leaves this page.

With ADMIN_REQUIRE_2FA this page, like the whole admin, needs a verified session: a stolen
password alone must not be enough to register an app. The first app of an organiser then comes
from `manage.py add_totp_device` or from a superuser.
"""

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from firma.tenancy.forms import TOTPConfirmForm


def qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def readable_secret(device: TOTPDevice) -> str:
    """The key in base32 by groups of four, for apps set up by typing it."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def manage(site: admin.AdminSite, request: HttpRequest) -> HttpResponse:
    devices = TOTPDevice.objects.filter(user=request.user).order_by("created_at", "pk")
    pending = devices.filter(confirmed=False).last()
    form = TOTPConfirmForm(pending) if pending else None
    action = request.POST.get("action") if request.method == "POST" else None

    if action == "add":
        if pending is None:
            TOTPDevice.objects.create(
                user=request.user,
                name=request.POST.get("name", "").strip()[:64] or _("Authenticator app"),
                confirmed=False,
            )
        return HttpResponseRedirect(request.path)
    if action == "cancel" and pending:
        pending.delete()
        return HttpResponseRedirect(request.path)
    if action == "confirm" and pending:
        form = TOTPConfirmForm(pending, request.POST)
        if form.is_valid():
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            # This session has just proved it holds the app: it stays in the admin.
            django_otp.login(request, pending)
            messages.success(request, _("Your authenticator app is registered."))
            return HttpResponseRedirect(request.path)
    if action == "remove":
        confirmed = devices.filter(confirmed=True)
        device = confirmed.filter(pk=request.POST.get("device") or 0).first()
        if device and settings.ADMIN_REQUIRE_2FA and confirmed.count() == 1:
            messages.error(
                request,
                _("Register another app first: this site requires one to log in."),
            )
        elif device:
            device.delete()
            messages.success(request, _("The app was removed."))
        return HttpResponseRedirect(request.path)

    context = {
        **site.each_context(request),
        "title": _("Two-factor authentication"),
        "devices": devices.filter(confirmed=True),
        "pending": pending,
        "form": form,
    }
    if pending:
        context["qr"] = qr_data_uri(pending)
        context["secret"] = readable_secret(pending)
    return TemplateResponse(request, "organiser/two_factor.html", context)
