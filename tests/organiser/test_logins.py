"""Organiser logins: throttled by django-axes, and two-factor with authenticator apps."""

import io
import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from firma.tenancy.models import Membership

from .conftest import PASSWORD, member

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def organiser(org_a):
    return member(org_a, Membership.Role.EDITOR, "organiser")


def token(device: TOTPDevice, steps_ahead: int = 0) -> str:
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0 - steps_ahead * device.step,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{value:0{device.digits}d}"


def log_in(client, username="organiser", password=PASSWORD, otp_token="", **environ):
    data = {"username": username, "password": password, "otp_token": otp_token}
    return client.post(LOGIN, data, **environ)


def let_time_pass(device: TOTPDevice) -> None:
    """django-otp makes a device wait longer after each wrong code; the test does not wait."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


class TestLockout:
    def test_five_failures_lock_the_user_name_out_from_that_address(self, client, organiser):
        for _ in range(4):
            response = log_in(client, password="wrong")
            assert response.status_code == 200
            assert "Please enter the correct username and password" in response.text
        response = log_in(client, password="wrong")
        assert response.status_code == 429
        assert "Too many failed logins" in response.text
        assert "5 attempts to log in to this account from your address failed." in response.text
        assert "60 minutes" in response.text
        assert "Content-Security-Policy" in response.headers
        # Even the right password is refused now, from this address…
        response = log_in(client)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
        # …but not from another one, nor for another user.
        assert log_in(client, REMOTE_ADDR="192.0.2.7").status_code == 302

    def test_other_users_are_not_locked_out(self, client, organiser, org_a):
        member(org_a, Membership.Role.VIEWER, "colleague")
        for _ in range(5):
            log_in(client, password="wrong")
        assert log_in(client, "colleague").status_code == 302

    def test_a_success_resets_the_count(self, client, organiser):
        for _ in range(4):
            log_in(client, password="wrong")
        assert log_in(client).status_code == 302
        client.logout()
        for _ in range(4):
            assert log_in(client, password="wrong").status_code == 200


class TestTwoFactorRequired:
    @pytest.fixture(autouse=True)
    def required(self, settings):
        settings.ADMIN_REQUIRE_2FA = True

    def test_a_password_alone_does_not_open_the_admin(self, client, organiser):
        client.force_login(organiser)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        assert client.get("/admin/two-factor/").status_code == 302  # no enrolment either

    def test_without_an_app_one_cannot_log_in(self, client, organiser):
        response = log_in(client)
        assert response.status_code == 200
        assert "your account has no authenticator app yet" in response.text
        assert client.get("/admin/").status_code == 302

    def test_with_a_code_from_the_app_one_can(self, client, organiser):
        device = TOTPDevice.objects.create(user=organiser, name="Phone")
        assert "Code from your authenticator app" in client.get(LOGIN).text
        response = log_in(client)
        assert "Enter the code from your authenticator app." in response.text
        response = log_in(client, otp_token="000000" if token(device) != "000000" else "111111")
        assert "This code is not right" in response.text
        assert client.get("/admin/").status_code == 302
        # Straight after a wrong code, even the right one is refused for a moment.
        response = log_in(client, otp_token=token(device))
        assert "Too many wrong codes" in response.text
        let_time_pass(device)

        response = log_in(client, otp_token=token(device))
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/petitions/petition/").status_code == 200

    def test_a_code_is_used_once(self, client, organiser):
        device = TOTPDevice.objects.create(user=organiser, name="Phone")
        code = token(device)
        assert log_in(client, otp_token=code).status_code == 302
        client.logout()
        assert log_in(client, otp_token=code).status_code == 200

    def test_the_last_app_cannot_be_removed(self, client, organiser):
        device = TOTPDevice.objects.create(user=organiser, name="Phone")
        log_in(client, otp_token=token(device))
        response = client.post(
            "/admin/two-factor/", {"action": "remove", "device": device.pk}, follow=True
        )
        assert "Register another app first" in response.text
        assert TOTPDevice.objects.filter(pk=device.pk).exists()

    def test_the_first_app_comes_from_the_command_line(self, client, organiser):
        out = io.StringIO()
        call_command("add_totp_device", "organiser", "--name", "Phone", stdout=out)
        assert "otpauth://totp/" in out.getvalue()
        key = re.search(r"Key: ([A-Z2-7 ]+)", out.getvalue()).group(1)
        device = TOTPDevice.objects.get(user=organiser)
        assert device.confirmed
        assert key.replace(" ", "") in device.config_url
        assert log_in(client, otp_token=token(device)).status_code == 302


class TestEnrolment:
    """Without ADMIN_REQUIRE_2FA, organisers opt in; then their code is needed."""

    def test_register_an_app(self, client, organiser):
        client.force_login(organiser)
        assert "/admin/two-factor/" in client.get("/admin/").text
        page = client.get("/admin/two-factor/").text
        assert "You have not registered an app yet." in page

        client.post("/admin/two-factor/", {"action": "add", "name": "My phone"})
        device = TOTPDevice.objects.get(user=organiser)
        assert not device.confirmed
        page = client.get("/admin/two-factor/").text
        assert 'src="data:image/svg+xml' in page
        assert "Key:" in page

        response = client.post("/admin/two-factor/", {"action": "confirm", "token": "12345x"})
        assert "This code is not right" in response.text
        device.refresh_from_db()
        assert not device.confirmed
        let_time_pass(device)

        response = client.post(
            "/admin/two-factor/", {"action": "confirm", "token": token(device)}, follow=True
        )
        assert "Your authenticator app is registered." in response.text
        device.refresh_from_db()
        assert device.confirmed
        # This session proved it has the app: it stays in.
        assert client.get("/admin/").status_code == 200

        # A new login needs the code now.
        client.logout()
        response = log_in(client)
        assert "Enter the code from your authenticator app." in response.text
        assert log_in(client, otp_token=token(device, steps_ahead=1)).status_code == 302

    def test_an_old_session_without_the_code_is_sent_to_log_in(self, client, organiser):
        client.force_login(organiser)
        TOTPDevice.objects.create(user=organiser, name="Phone")
        assert client.get("/admin/").status_code == 302

    def test_organisers_without_an_app_log_in_with_their_password(self, client, organiser):
        assert log_in(client).status_code == 302
        assert client.get("/admin/").status_code == 200

    def test_one_manages_only_ones_own_apps(self, client, organiser, org_a):
        other = member(org_a, Membership.Role.OWNER, "other")
        theirs = TOTPDevice.objects.create(user=other, name="Their phone")
        client.force_login(organiser)
        page = client.get("/admin/two-factor/").text
        assert "Their phone" not in page
        client.post("/admin/two-factor/", {"action": "remove", "device": theirs.pk})
        assert TOTPDevice.objects.filter(pk=theirs.pk).exists()

    def test_remove_an_app(self, client, organiser):
        device = TOTPDevice.objects.create(user=organiser, name="Old phone")
        log_in(client, otp_token=token(device))
        response = client.post(
            "/admin/two-factor/", {"action": "remove", "device": device.pk}, follow=True
        )
        assert "The app was removed." in response.text
        assert not TOTPDevice.objects.filter(pk=device.pk).exists()

    def test_secrets_are_not_shown_in_the_device_admin(self, admin_client, organiser):
        device = TOTPDevice.objects.create(user=organiser, name="Phone")
        page = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").text
        assert device.key not in page
        config = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/")
        assert config.status_code == 403
