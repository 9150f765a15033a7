"""Who is signing, as far as rate limits and fraud analysis need to know, and no further.

The IP address is never stored: only an HMAC of it (of its /64 network for IPv6), keyed with a
random secret that lives in the cache for two days and is replaced every day. Once a day's
secret is gone, nobody — the organiser included — can link its hashes back to addresses.
"""

import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Client:
    ip_hash: str
    user_agent_family: str


def describe(request: HttpRequest) -> Client:
    return Client(
        ip_hash=ip_hash(client_ip(request)),
        user_agent_family=browser_family(request.headers.get("User-Agent", "")),
    )


@lru_cache(maxsize=1)
def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES)


def is_trusted(address: IPAddress) -> bool:
    return any(address in network for network in trusted_proxies())


def parse_ip(value: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_ip(request: HttpRequest) -> IPAddress:
    """The connecting address, or the one a trusted proxy says it forwarded for.

    X-Forwarded-For is read from the right: each hop was added by the proxy before it. The
    first address not among TRUSTED_PROXIES is the client; anything left of it may be forged.
    """
    address = parse_ip(request.META.get("REMOTE_ADDR", "")) or ipaddress.IPv4Address(0)
    if not is_trusted(address):
        return address
    forwarded = request.headers.get("X-Forwarded-For", "").split(",")
    for hop in reversed(forwarded):
        hop_address = parse_ip(hop)
        if hop_address is None:
            break
        address = hop_address
        if not is_trusted(address):
            break
    return address


def network_of(address: IPAddress) -> str:
    """One IPv6 /64 is one subscriber, who can use any of its addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


# Today's secret, as this process last read it: one cache read a day instead of one a request.
_today: dict[str, bytes] = {}


def daily_secret() -> bytes:
    key = f"ip-secret:{timezone.now().date().isoformat()}"
    if key in _today:
        return _today[key]
    secret = cache.get(key)
    if secret is None:
        cache.add(key, secrets.token_hex(32), timeout=2 * 24 * 3600)
        # Another process may have won the race to add it: use what is stored.
        secret = cache.get(key)
        if secret is None:
            return settings.SECRET_KEY.encode()  # no cache to share it through: not kept
    _today.clear()  # yesterday's secret leaves this process's memory too
    _today[key] = secret.encode()
    return _today[key]


def ip_hash(address: IPAddress) -> str:
    return hmac.new(daily_secret(), network_of(address).encode(), "sha256").hexdigest()[:32]


BROWSERS = [
    ("bot", "bot"),
    ("crawl", "bot"),
    ("spider", "bot"),
    ("headless", "headless"),
    ("curl/", "curl"),
    ("wget/", "wget"),
    ("python", "python"),
    ("go-http-client", "go"),
    ("edg/", "Edge"),
    ("opr/", "Opera"),
    ("samsungbrowser", "Samsung Internet"),
    ("firefox/", "Firefox"),
    ("fxios/", "Firefox"),
    ("crios/", "Chrome"),
    ("chrome/", "Chrome"),
    ("safari/", "Safari"),
]


def browser_family(user_agent: str) -> str:
    """A coarse family, enough to see a flood from one tool; the full string is not kept."""
    agent = user_agent.lower()
    if not agent:
        return "none"
    return next((family for needle, family in BROWSERS if needle in agent), "other")
