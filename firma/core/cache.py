import time
from collections.abc import Callable

from diskcache import DjangoCache
from django.core.signals import setting_changed
from django.dispatch import receiver


class SharedDiskCache(DjangoCache):
    """diskcache's Django cache, kept open between requests.

    Django closes every cache when a request finishes; for a cache in SQLite files that means
    closing and reopening its database on every request, which costs more than the request.
    """

    def close(self, **kwargs) -> None:
        pass


class ProcessCopies:
    """Values kept in this process's memory until their own deadline (a `time.time()`).

    For what every request of a busy page reads (the shared page, the API's answer): a dict
    lookup instead of a trip to the shared cache. At most `limit` are kept; past that the
    expired ones go, then all of them, so that odd queries cannot fill the memory.
    """

    def __init__(self, limit: int = 256) -> None:
        self.limit = limit
        self.entries: dict[str, tuple[float, object]] = {}
        every_copies.append(self)

    def get(self, key: str) -> object | None:
        entry = self.entries.get(key)
        if entry is None or entry[0] <= time.time():
            return None
        return entry[1]

    def put(self, key: str, value: object, until: float) -> None:
        if len(self.entries) >= self.limit:
            now = time.time()
            self.entries = {k: e for k, e in self.entries.items() if e[0] > now}
            if len(self.entries) >= self.limit:
                self.entries = {}
        self.entries[key] = (until, value)

    def clear(self) -> None:
        self.entries = {}

    def discard(self, keys: Callable[[str], bool]) -> None:
        """Drop the values whose key `keys` picks, so that this process sees a change at once."""
        self.entries = {key: entry for key, entry in self.entries.items() if not keys(key)}


every_copies: list[ProcessCopies] = []


@receiver(setting_changed)
def forget_copies(setting: str, **kwargs) -> None:
    """A new cache (in tests) starts without copies of what the old one held."""
    if setting in ("CACHES", "PAGE_CACHE_SECONDS", "COUNT_CACHE_SECONDS"):
        for copies in every_copies:
            copies.clear()
