from diskcache import DjangoCache


class SharedDiskCache(DjangoCache):
    """diskcache's Django cache, kept open between requests.

    Django closes every cache when a request finishes; for a cache in SQLite files that means
    closing and reopening its database on every request, which costs more than the request.
    """

    def close(self, **kwargs) -> None:
        pass
