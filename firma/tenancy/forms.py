from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

# django-otp makes a device wait after each wrong code, longer each time.
THROTTLED = _("Too many wrong codes: wait a few seconds, then enter the newest one.")


class TOTPConfirmForm(forms.Form):
    """The first code from a newly registered authenticator app, to prove it was set up."""

    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, device: TOTPDevice, *args, **kwargs) -> None:
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not self.device.verify_is_allowed()[0]:
            raise ValidationError(THROTTLED, code="throttled")
        if not self.device.verify_token(token):
            raise ValidationError(
                _("This code is not right. Check the time on your phone and try the next one."),
                code="invalid_token",
            )
        return token


class AdminLoginForm(AdminAuthenticationForm):
    """The admin login, with the code of an authenticator app for those who registered one.

    With ADMIN_REQUIRE_2FA every organiser needs an app; without, only those who set one up
    are asked for its code (the admin site refuses their sessions without it, see sites.py).
    """

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        user = self.get_user()
        if user is None:
            return data
        # Trying each device (usually one) is fine here: each throttles its own failures.
        devices = list(devices_for_user(user))
        if not devices:
            if settings.ADMIN_REQUIRE_2FA:
                raise ValidationError(
                    _(
                        "This site requires two-factor authentication and your account has no "
                        "authenticator app yet. Ask an administrator to register one."
                    ),
                    code="no_device",
                )
            return data
        token = (data.get("otp_token") or "").strip().replace(" ", "")
        if not token:
            raise ValidationError(
                _("Enter the code from your authenticator app."), code="token_required"
            )
        if not any(device.verify_is_allowed()[0] for device in devices):
            raise ValidationError(THROTTLED, code="throttled")
        device = self.verify(user, token)
        if device is None:
            raise ValidationError(
                _("This code is not right. Try the next one from your app."),
                code="invalid_token",
            )
        # django_otp's user_logged_in handler stores the device in the session.
        user.otp_device = device
        return data

    @staticmethod
    def verify(user, token: str) -> Device | None:
        with transaction.atomic():
            for device in devices_for_user(user, for_verify=True):
                if device.verify_token(token):
                    return device
        return None
