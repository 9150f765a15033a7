"""Defences of the signing form: honeypot, timing, disposable domains, rate limits, signals."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from email_validator import EmailUndeliverableError

from firma.core.clients import browser_family
from firma.petitions.defences import addresses
from firma.petitions.models import Signature
from firma.petitions.rules.signer import TIMER_SALT
from tests.conftest import make_petition, sign, url

pytestmark = pytest.mark.django_db


def started(seconds_ago: float) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=TIMER_SALT)


def test_a_filled_honeypot_is_recorded_quietly_and_sends_nothing(client, petition):
    response = sign(client, petition, website="http://spam.example", started=started(30))
    assert response.status_code == 302  # the bot learns nothing
    assert response["Location"] == url("petitions:thanks", slug=petition.slug)
    signature = Signature.objects.get()
    assert signature.flags == "honeypot"
    assert signature in Signature.objects.suspicious()
    assert DBTaskResult.objects.count() == 0


def test_a_bot_cannot_overwrite_a_persons_unconfirmed_signature(client, petition):
    sign(client, petition, full_name="Real Person", started=started(30))
    sign(client, petition, full_name="Bot", website="x", started=started(30))
    assert Signature.objects.get().full_name == "Real Person"
    assert DBTaskResult.objects.count() == 1


def test_a_person_signing_after_a_bot_used_their_address_gets_the_link(client, petition):
    sign(client, petition, full_name="Bot", website="x", started=started(30))
    sign(client, petition, full_name="Real Person", started=started(30))
    signature = Signature.objects.get()
    assert (signature.full_name, signature.flags) == ("Real Person", "")
    assert DBTaskResult.objects.count() == 1


@pytest.mark.parametrize(
    ("seconds_ago", "flags", "seconds"),
    [(0, "too_fast", 0), (40, "", 40), ("forged", "no_timer", None), (None, "no_timer", None)],
)
def test_the_time_taken_to_fill_the_form_is_kept(client, petition, seconds_ago, flags, seconds):
    timer = started(seconds_ago + 0.1) if isinstance(seconds_ago, int) else seconds_ago
    assert sign(client, petition, started=timer).status_code == 302
    signature = Signature.objects.get()
    assert signature.flags == flags
    if seconds is None:
        assert signature.fill_seconds is None
    else:  # whole seconds, and a busy machine may take one more to answer
        assert seconds <= signature.fill_seconds <= seconds + 1
    assert DBTaskResult.objects.count() == 1  # a fast human still gets the e-mail


def test_the_page_carries_a_fresh_timer_and_a_hidden_honeypot(client, petition):
    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert 'name="started"' in page
    assert '<div class="hp" aria-hidden="true">' in page
    assert 'name="website"' in page


def test_signals_are_kept_but_not_the_ip_address(client, petition):
    sign(
        client,
        petition,
        email="ana@Example.ORG",
        started=started(12),
        REMOTE_ADDR="203.0.113.7",
    )
    signature = Signature.objects.get()
    assert signature.email_domain == "example.org"
    assert len(signature.ip_hash) == 32
    assert "203.0.113" not in str(Signature.objects.values().get())
    assert signature.fill_seconds == 12
    assert signature.challenge_used is False


def ip_hash_for(client, petition, address: str, email: str, **headers) -> str:
    response = client.post(
        url("petitions:sign", slug=petition.slug),
        {"full_name": "A", "organization": "B", "country": "FR", "email": email},
        REMOTE_ADDR=address,
        headers=headers,
    )
    assert response.status_code == 302
    return Signature.objects.get(email=email).ip_hash


def test_ipv6_addresses_of_one_64_share_a_hash(client, petition):
    one = ip_hash_for(client, petition, "2001:db8:1:2::1", "a@example.org")
    same = ip_hash_for(client, petition, "2001:db8:1:2:ffff::9", "b@example.org")
    other = ip_hash_for(client, petition, "2001:db8:1:3::1", "c@example.org")
    assert one == same != other


def test_the_hash_key_changes_every_day(client, petition, monkeypatch):
    today = ip_hash_for(client, petition, "198.51.100.1", "a@example.org")
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr("firma.core.clients.timezone.now", lambda: tomorrow)
    assert ip_hash_for(client, petition, "198.51.100.1", "b@example.org") != today


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(client, petition, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    from firma.core.clients import trusted_proxies

    trusted_proxies.cache_clear()
    direct = ip_hash_for(client, petition, "198.51.100.1", "a@example.org")
    forged = ip_hash_for(
        client, petition, "198.51.100.1", "b@example.org", x_forwarded_for="203.0.113.9"
    )
    assert forged == direct  # an untrusted peer's header is ignored
    proxied = ip_hash_for(
        client,
        petition,
        "10.1.2.3",
        "c@example.org",
        x_forwarded_for="6.6.6.6, 198.51.100.1, 10.9.9.9",
    )
    assert proxied == direct  # the rightmost untrusted hop, whatever was claimed before it
    trusted_proxies.cache_clear()


@pytest.mark.parametrize(
    ("agent", "family"),
    [
        (
            "Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36",
            "Chrome",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit/605.1.15 Safari/604.1",
            "Safari",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox"),
        ("curl/8.5.0", "curl"),
        ("python-requests/2.32", "python"),
        ("Googlebot/2.1", "bot"),
        ("", "none"),
    ],
)
def test_browser_families(agent, family):
    assert browser_family(agent) == family


@pytest.mark.parametrize(
    "address", ["a@mailinator.com", "a@sub.mailinator.com", "a@throwaway-box.net"]
)
def test_disposable_addresses_are_refused(client, petition, settings, address):
    settings.DISPOSABLE_EMAIL_DOMAINS = {"throwaway-box.net"}
    response = sign(client, petition, email=address)
    assert response.status_code == 400
    assert "disposable addresses" in response.text
    assert Signature.objects.count() == 0


def test_the_mail_server_check_refuses_domains_without_mail(
    client, petition, settings, monkeypatch
):
    settings.EMAIL_CHECK_DELIVERABILITY = True
    lookups = []

    def no_mail(domain, domain_i18n, timeout=None):
        lookups.append(domain)
        raise EmailUndeliverableError("no MX")

    monkeypatch.setattr(addresses, "validate_email_deliverability", no_mail)
    for _ in range(2):
        response = sign(client, petition, email="a@no-mail-here.net")
        assert response.status_code == 400
        assert "does not receive e-mail" in response.text
    assert lookups == ["no-mail-here.net"]  # the answer is cached


def test_a_dns_failure_does_not_stop_signing(client, petition, settings, monkeypatch):
    settings.EMAIL_CHECK_DELIVERABILITY = True

    def timeout(domain, domain_i18n, timeout=None):
        raise TimeoutError

    monkeypatch.setattr(addresses, "validate_email_deliverability", timeout)
    assert sign(client, petition).status_code == 302


class TestRateLimits:
    # Counted where a deployment without Redis counts them: in the disk cache.
    @pytest.fixture(autouse=True)
    def limits(self, settings, disk_cache):
        settings.SIGNING_RATE_LIMITS = {
            "ip_burst": "3/10000000",
            "ip_sustained": "5/10000000",
            "domain": "4/10000000",
            "petition": "6/10000000",
        }

    def test_a_network_over_its_burst_gets_429_and_keeps_what_it_typed(self, client, petition):
        for number in range(3):
            assert sign(client, petition, email=f"s{number}@example.org").status_code == 302
        response = sign(client, petition, email="s3@example.org", full_name="Kept Name")
        assert response.status_code == 429
        assert response["Retry-After"] == "60"
        assert "Too many signatures from your network" in response.text
        assert 'value="Kept Name"' in response.text
        assert 'value="s3@example.org"' in response.text
        assert Signature.objects.count() == 3
        # Another network signs on.
        assert (
            sign(
                client, petition, email="other@example.org", REMOTE_ADDR="198.51.100.2"
            ).status_code
            == 302
        )

    def test_invalid_attempts_count_too(self, client, petition):
        for _ in range(3):
            assert sign(client, petition, email="broken").status_code == 400
        assert sign(client, petition).status_code == 429

    def test_the_sustained_window(self, client, petition, settings):
        settings.SIGNING_RATE_LIMITS["ip_burst"] = "100/10000000"
        statuses = [sign(client, petition, email=f"s{n}@gmail.com").status_code for n in range(7)]
        assert statuses == [302] * 5 + [429] * 2

    def test_an_email_domain_is_limited_unless_it_is_a_large_provider(self, client, petition):
        statuses = [
            sign(
                client, petition, email=f"s{n}@small.example", REMOTE_ADDR=f"198.51.100.{n}"
            ).status_code
            for n in range(5)
        ]
        assert statuses == [302] * 4 + [429]
        gmail = [
            sign(
                client, petition, email=f"g{n}@gmail.com", REMOTE_ADDR=f"203.0.113.{n}"
            ).status_code
            for n in range(2)
        ]
        assert gmail == [302, 302]

    def test_the_petition_ceiling(self, client, petition):
        statuses = [
            sign(
                client, petition, email=f"s{n}@gmail.com", REMOTE_ADDR=f"198.51.100.{n}"
            ).status_code
            for n in range(7)
        ]
        assert statuses == [302] * 6 + [429]
        other = make_petition(slug="other")
        assert sign(client, other, REMOTE_ADDR="203.0.113.1").status_code == 302

    def test_the_limit_page_is_translated(self, client, petition):
        from tests.petitions.test_languages import translated

        for _ in range(3):
            sign(client, petition, "fr", email="broken")
        response = sign(client, petition, "fr")
        assert response.status_code == 429
        assert translated("Too many signatures from your network", "fr") in response.text
