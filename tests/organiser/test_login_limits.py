"""Failed admin logins are counted per user name and address, per address (an IPv6 /64) and per
user name: rotating addresses inside one network, or user names, gives no unlimited guesses."""

import pytest

from firma.tenancy.models import Membership

from .conftest import PASSWORD, member

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_FAILURE_LIMITS = [5, 8, 8]


@pytest.fixture
def organiser(org_a):
    return member(org_a, Membership.Role.EDITOR, "organiser")


def log_in(client, address: str, username: str = "organiser", password: str = "wrong") -> int:
    data = {"username": username, "password": password, "otp_token": ""}
    return client.post(LOGIN, data, REMOTE_ADDR=address).status_code


def test_addresses_of_one_ipv6_64_count_as_one(client, organiser):
    for number in range(1, 5):
        assert log_in(client, f"2001:db8:1:2::{number:x}") == 200
    assert log_in(client, "2001:db8:1:2:ffff::9") == 429
    # The right password too, from anywhere in that /64; not from another network.
    assert log_in(client, "2001:db8:1:2::abcd", password=PASSWORD) == 429
    assert log_in(client, "2001:db8:1:3::1", password=PASSWORD) == 302


def test_many_user_names_from_one_network_are_stopped(client, organiser):
    for number in range(7):
        assert log_in(client, f"2001:db8:9:9::{number + 1:x}", f"guess-{number}") == 200
    assert log_in(client, "2001:db8:9:9::ff", "guess-last") == 429
    assert log_in(client, "2001:db8:9:9::fe", "organiser", PASSWORD) == 429
    assert log_in(client, "198.51.100.1", "organiser", PASSWORD) == 302


def test_one_user_name_from_many_addresses_is_stopped(client, organiser, org_a):
    for number in range(7):
        assert log_in(client, f"203.0.113.{number + 1}") == 200
    assert log_in(client, "203.0.113.200") == 429
    # Even with the right password, from a fresh address, for now; other users log in.
    assert log_in(client, "198.51.100.7", password=PASSWORD) == 429
    member(org_a, Membership.Role.VIEWER, "colleague")
    assert log_in(client, "198.51.100.7", "colleague", PASSWORD) == 302


def test_the_defaults_are_in_the_settings(settings):
    assert settings.AXES_LOCKOUT_PARAMETERS == [
        ["username", "ip_address"],
        "ip_address",
        "username",
    ]
    assert settings.AXES_HANDLER == "firma.tenancy.logins.LoginAttempts"
