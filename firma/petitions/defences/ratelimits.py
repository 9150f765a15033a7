"""Rate limits on signing, counted in the cache so that every process shares them.

Each limit is a number of events in a fixed window of seconds. The cache is Redis when
REDIS_URL is set, else a disk cache shared by all processes on the machine; both increment
atomically, so two servers cannot each let through the whole allowance. The counters that
every request of a petition touches are shared in batches (hit_often), a fraction of a second
late; those of one address or one e-mail domain at once.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver

from firma.core.clients import Client
from firma.petitions.models import Petition

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


def hit(scope: str, seconds: int, events: int = 1, *, fresh: bool = False) -> int:
    """Count events in `scope`'s current window of `seconds`; the number so far in it.

    One cache operation in the usual case: adding the counter when `fresh` says it is most
    likely not there yet (a client's first request), else incrementing it.
    """
    window = int(time.time() // seconds)
    key = f"rate:{scope}:{seconds}:{window}"
    if fresh and cache.add(key, events, timeout=seconds + 5):
        return events
    try:
        return cache.incr(key, events)
    except ValueError:  # the window's first event, or its counter just expired
        if cache.add(key, events, timeout=seconds + 5):
            return events
        try:
            return cache.incr(key, events)  # another process started the window meanwhile
        except ValueError:
            cache.set(key, events, timeout=seconds + 5)
            return events


# How often a process adds its share of a busy counter to the shared one (see hit_often).
SHARE_SECONDS = 0.2
# Counters a process keeps for itself at most; past that it forgets the quiet ones.
LOCAL_COUNTERS = 10_000


@dataclass
class LocalShare:
    window: int
    shared_at: float
    shared: int = 0  # the shared counter, as last seen
    unshared: int = 0  # events counted here and not added to it yet


_local_shares: dict[tuple[str, int], LocalShare] = {}
_local_lock = threading.Lock()


@receiver(setting_changed)
def forget_local_shares(setting: str, **kwargs) -> None:
    """Another cache (in tests) has other counters."""
    if setting == "CACHES":
        with _local_lock:
            _local_shares.clear()


def hit_often(scope: str, seconds: int) -> int:
    """Like hit(), for counters that many requests increment: a petition's own, the API's.

    Each process counts its events itself and adds them to the shared counter at most every
    SHARE_SECONDS, on the first event after that: for a crowd of readers who ask once, no cache
    operation at all; for a busy key, one per process and fraction of a second instead of one
    per request. A process always sees its own events; those of the others arrive that much
    later, so several processes may together let through a few events over a limit.
    """
    window = int(time.time() // seconds)
    now = time.monotonic()
    with _local_lock:
        share = _local_shares.get((scope, seconds))
        if share is None or share.window != window:
            if len(_local_shares) >= LOCAL_COUNTERS:
                forget_some(now)
            share = _local_shares[(scope, seconds)] = LocalShare(window, shared_at=now)
        share.unshared += 1
        if now - share.shared_at < SHARE_SECONDS:
            return share.shared + share.unshared
        events, share.unshared, share.shared_at = share.unshared, 0, now
    shared = hit(scope, seconds, events)
    with _local_lock:
        share.shared = max(share.shared, shared)
        return share.shared + share.unshared


def forget_some(now: float) -> None:
    """Make room: the counters of past windows go, then quiet ones, down to half the room.

    A quiet counter has not been shared for SHARE_SECONDS; what it forgets is at most that
    long's events of a client gone quiet. A flood of new clients empties the room.
    """
    kept = {
        key: share
        for key, share in _local_shares.items()
        if share.window == int(time.time() // key[1])
    }
    for key, share in list(kept.items()):
        if len(kept) < LOCAL_COUNTERS // 2:
            break
        if now - share.shared_at >= SHARE_SECONDS:
            del kept[key]
    _local_shares.clear()
    if len(kept) < LOCAL_COUNTERS:
        _local_shares.update(kept)


def within(scope: str, setting: str, count: Callable[[str, int], int] = hit) -> bool:
    limit = Limit.parse(settings.SIGNING_RATE_LIMITS[setting])
    # Each limit its own counter, even when two limits share a window length.
    return count(f"{setting}:{scope}", limit.seconds) <= limit.count


def first_hit(scope: str, seconds: int) -> int:
    return hit(scope, seconds, fresh=True)


def allow_attempt(client: Client) -> bool:
    """Every signing POST counts against its network, valid or not. On a viral day most
    come from a network that has not posted yet in the window (first_hit)."""
    scope = f"ip:{client.ip_hash}"
    return within(scope, "ip_burst", count=first_hit) & within(
        scope, "ip_sustained", count=first_hit
    )


def allow_signature(email: str, petition: Petition) -> bool:
    """Valid signatures count against their e-mail domain and the petition's ceiling."""
    domain = email.rpartition("@")[2]
    free = LARGE_PROVIDERS | settings.SIGNING_RATE_LIMIT_FREE_DOMAINS
    if domain not in free and not within(f"domain:{domain}", "domain"):
        return False
    return within(f"petition:{petition.pk}", "petition", count=hit_often)
