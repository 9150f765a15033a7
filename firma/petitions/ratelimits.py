"""Rate limits on signing, counted in the cache so that every process shares them.

Each limit is a number of events in a fixed window of seconds. The cache is Redis when
REDIS_URL is set, else a disk cache shared by all processes on the machine; both increment
atomically, so two servers cannot each let through the whole allowance.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .clients import Client
from .models import Petition

# Providers whose domain millions of people share: a per-domain limit would stop real people.
LARGE_PROVIDERS = frozenset(
    """gmail.com googlemail.com outlook.com hotmail.com live.com msn.com yahoo.com ymail.com
    icloud.com me.com mac.com aol.com proton.me protonmail.com gmx.de gmx.net gmx.com web.de
    t-online.de orange.fr free.fr laposte.net sfr.fr wanadoo.fr libero.it yandex.ru mail.ru
    qq.com 163.com 126.com naver.com uol.com.br bol.com.br terra.com.br yahoo.com.ar
    hotmail.es yahoo.es hotmail.fr yahoo.fr fastmail.com zoho.com tutanota.com""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Limit":
        """ "20/60" is 20 events a minute."""
        count, seconds = text.split("/")
        return cls(int(count), int(seconds))


def hit(scope: str, seconds: int) -> int:
    """Count one event in `scope`'s current window of `seconds`; the number so far in it."""
    window = int(time.time() // seconds)
    key = f"rate:{scope}:{seconds}:{window}"
    # One cache operation in the usual case, where the window's counter exists already.
    try:
        return cache.incr(key)
    except ValueError:  # the window's first event, or its counter just expired
        if cache.add(key, 1, timeout=seconds + 5):
            return 1
        try:
            return cache.incr(key)  # another process started the window meanwhile
        except ValueError:
            cache.set(key, 1, timeout=seconds + 5)
            return 1


def within(scope: str, setting: str) -> bool:
    limit = Limit.parse(settings.SIGNING_RATE_LIMITS[setting])
    # Each limit its own counter, even when two limits share a window length.
    return hit(f"{setting}:{scope}", limit.seconds) <= limit.count


def allow_attempt(client: Client) -> bool:
    """Every signing POST counts against its network, valid or not."""
    return within(f"ip:{client.ip_hash}", "ip_burst") & within(
        f"ip:{client.ip_hash}", "ip_sustained"
    )


def allow_signature(email: str, petition: Petition) -> bool:
    """Valid signatures count against their e-mail domain and the petition's ceiling."""
    domain = email.rpartition("@")[2]
    free = LARGE_PROVIDERS | settings.SIGNING_RATE_LIMIT_FREE_DOMAINS
    if domain not in free and not within(f"domain:{domain}", "domain"):
        return False
    return within(f"petition:{petition.pk}", "petition")
