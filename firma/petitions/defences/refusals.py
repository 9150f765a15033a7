"""Signing attempts the defences refused, counted so that the trends can show them.

A flood stopped by the rate limits leaves no signature behind, so the trends of stored
signatures would never see it. Each refusal adds one to an hourly counter in the cache per
IP hash, e-mail domain, country and source, as the submitted values name them (cleaned by the
same rules as a signature's, so nothing an attacker writes reaches a key unchecked). Nothing
personal is kept: an IP hash, a domain, a country code, a channel tag.

The counts are cheap and approximate: one cache increment per dimension, and a short list per
hour and dimension of the values seen (at most VALUES_PER_HOUR), which another process may
overwrite in the same instant. That is enough to see a rise, never to prove a number.
"""

import time
from collections import Counter
from collections.abc import Mapping

from django.core.cache import cache

from firma.core.clients import Client
from firma.petitions.models import Petition
from firma.petitions.rules import signer as rules

HOUR = 3600
# Long enough for the trends' baseline of the week before their window.
KEPT_SECONDS = 8 * 24 * HOUR
VALUES_PER_HOUR = 50
DIMENSIONS = ("ip_hash", "email_domain", "country", "source")


def described(client: Client, data: Mapping[str, str]) -> dict[str, str]:
    """The dimensions of an attempt, from the client and the raw submitted values."""
    country = str(data.get("country", "")).strip().upper()
    return {
        "ip_hash": client.ip_hash,
        "email_domain": rules.host(rules.domain_of(str(data.get("email", "")).strip())),
        "country": country if country in rules.COUNTRY_CODES else "",
        "source": rules.source(str(data.get("source", ""))),
    }


def record(petition: Petition, client: Client, data: Mapping[str, str]) -> None:
    """Count one refused attempt on `petition`."""
    hour = int(time.time() // HOUR)
    for dimension, value in described(client, data).items():
        if not value:
            continue
        key = f"refused:{petition.pk}:{hour}:{dimension}:{value}"
        if cache.add(key, 1, timeout=KEPT_SECONDS):
            remember(f"refused:{petition.pk}:{hour}:{dimension}", value)
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, timeout=KEPT_SECONDS)


def remember(index: str, value: str) -> None:
    values = cache.get(index) or []
    if len(values) < VALUES_PER_HOUR:
        cache.set(index, [*values, value], timeout=KEPT_SECONDS)


def counts(petition: Petition, dimension: str, since: float, until: float) -> Counter:
    """Refused attempts on `petition` by value of `dimension`, in the hours from `since` (a
    timestamp) to `until`, whole hours included."""
    hours = range(int(since // HOUR), int(until // HOUR) + 1)
    indexes = cache.get_many([f"refused:{petition.pk}:{hour}:{dimension}" for hour in hours])
    keys = [f"{index}:{value}" for index, values in indexes.items() for value in values]
    found: Counter = Counter()
    for key, count in cache.get_many(keys).items():
        found[key.rpartition(":")[2]] += count
    return found
