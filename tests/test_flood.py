"""Rate limits between real server processes on loopback: shared by every process, and a flood
from one address does not stop anyone else."""

import time
import uuid

import pytest
import redis

from firma.petitions.defences.ratelimits import SHARE_SECONDS
from tests.servers import Browser, firma_processes

PETITION = "/en/p/drop-the-charges/"
REDIS_URL = "redis://127.0.0.1:6379/13"
# Windows are fixed, so a test that crossed a window's end would see its counter start again:
# these windows are months long.
LONG = 10_000_000


def form(browser: Browser, number: int, **overrides) -> dict:
    data = {
        "csrfmiddlewaretoken": browser.form_token(PETITION),
        "full_name": f"Signer {number}",
        "organization": "Union",
        "country": "AR",
        "email": f"signer{number}@gmail.com",
    }
    return {**data, **overrides}


def redis_available() -> bool:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        return False
    return True


@pytest.mark.parametrize("store", ["disk", "redis"])
def test_a_limit_holds_across_two_server_processes(tmp_path, store):
    env = {"RATE_LIMIT_IP_BURST": f"6/{LONG}", "RATE_LIMIT_IP_SUSTAINED": f"1000/{LONG}"}
    if store == "redis":
        if not redis_available():
            pytest.skip("no Redis on 127.0.0.1:6379")
        env["REDIS_URL"] = REDIS_URL
        env["CACHE_KEY_PREFIX"] = uuid.uuid4().hex  # this run's counters only
    with firma_processes(tmp_path, env, servers=2) as (bases, _logs):
        browsers = [Browser(base) for base in bases]
        statuses = []
        for number in range(12):
            browser = browsers[number % 2]  # alternate between the two processes
            statuses.append(browser.request("POST", PETITION + "sign/", form(browser, number))[0])
    assert statuses.count(302) == 6
    assert statuses.count(429) == 6


@pytest.mark.parametrize("store", ["disk", "redis"])
def test_a_petitions_ceiling_holds_across_two_server_processes(tmp_path, store):
    """Each process adds its share of the petition's counter every SHARE_SECONDS: people a
    little further apart than that are counted exactly, whichever process they reach."""
    env = {"RATE_LIMIT_PETITION": f"6/{LONG}"}
    if store == "redis":
        if not redis_available():
            pytest.skip("no Redis on 127.0.0.1:6379")
        env["REDIS_URL"] = REDIS_URL
        env["CACHE_KEY_PREFIX"] = uuid.uuid4().hex
    with firma_processes(tmp_path, env, servers=2) as (bases, _logs):
        statuses = []
        for number in range(12):
            person = Browser(bases[number % 2], source=f"127.0.0.{2 + number}")
            statuses.append(person.request("POST", PETITION + "sign/", form(person, number))[0])
            time.sleep(SHARE_SECONDS + 0.1)
    assert statuses == [302] * 6 + [429] * 6


def test_a_flood_from_one_address_is_held_while_others_sign(tmp_path):
    env = {"RATE_LIMIT_IP_BURST": f"20/{LONG}", "RATE_LIMIT_IP_SUSTAINED": f"50/{LONG}"}
    with firma_processes(tmp_path, env) as ([base], _logs):
        bot = Browser(base, source="127.0.0.1")
        data = form(bot, 0)
        accepted = 0
        people = []
        # Four times the sustained limit: most of the flood is refused, and people sign between
        # its requests all along.
        for number in range(200):
            # The bot reuses one form and token, as bots do, changing only the address.
            status, _page = bot.request(
                "POST", PETITION + "sign/", {**data, "email": f"bot{number}@gmail.com"}
            )
            accepted += status == 302
            assert status in (302, 429)
            if number % 10 == 0:
                person = Browser(base, source=f"127.0.0.{2 + number // 10}")
                people.append(
                    person.request("POST", PETITION + "sign/", form(person, 10_000 + number))[0]
                )
    assert accepted == 20
    assert people == [302] * 20
