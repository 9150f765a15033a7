"""Register an authenticator app for an organiser from the server's shell.

With ADMIN_REQUIRE_2FA, organisers cannot reach /admin/two-factor/ before they have an app:
their first one comes from here (or from a superuser, in the TOTP devices admin).
"""

import io

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from firma.tenancy.twofactor import readable_secret


class Command(BaseCommand):
    help = "Register an authenticator app (TOTP) for a user and print its QR code and key."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="Name of the device.")

    def handle(self, *args, username: str, name: str, **options) -> None:
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(f"Scan this with {user}'s authenticator app, or type the key into it.")
        picture = io.StringIO()
        segno.make(device.config_url, error="m").terminal(out=picture, compact=True)
        self.stdout.write(picture.getvalue())
        self.stdout.write(f"Key: {readable_secret(device)}")
        self.stdout.write(f"URI: {device.config_url}")
