"""nginx's micro-cache (deploy/nginx/firma.conf, as deploy/cluster writes it) in front of a
firma server: it keeps the petition page and its live count, and nothing personal."""

import http.client
from importlib.util import module_from_spec, spec_from_file_location
from urllib.parse import urlsplit

from django.conf import settings

from tests.conftest import free_port
from tests.servers import firma_processes

PETITION = "/en/p/drop-the-charges/"
COUNT = "/api/petitions/drop-the-charges"


def nginx_in_front():
    """bench/cache.py, which starts nginx as deploy/cluster configures it."""
    spec = spec_from_file_location("bench_cache", settings.BASE_DIR / "bench" / "cache.py")
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fetch(port: int, path: str, method: str = "GET", headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("X-Cache"), body


def test_the_page_and_the_count_are_kept_nothing_personal_is(tmp_path):
    # Copies fresh for a minute: a slow machine still sees hits, not renewals.
    env = {"PAGE_CACHE_SECONDS": "60", "COUNT_CACHE_SECONDS": "60", "ALLOWED_HOSTS": "127.0.0.1"}
    with firma_processes(tmp_path, env) as ([base], _logs):
        port = free_port()
        nginx = nginx_in_front().start(port, urlsplit(base).port, tmp_path)
        try:
            for path in (PETITION, COUNT, PETITION + "?source=newsletter"):
                status, first, body = fetch(port, path)
                assert (status, first) == (200, "MISS")
                status, second, again = fetch(port, path)
                assert (status, second, again) == (200, "HIT", body)

            session = {"Cookie": "sessionid=organiser"}
            assert fetch(port, PETITION, headers=session)[1] == "BYPASS"
            assert fetch(port, COUNT, headers={"Cookie": "messages=x"})[1] == "BYPASS"
            # Only those two addresses pass through the cache at all.
            for path in (PETITION + "thanks/", PETITION + "confirm/some-token/", "/en/"):
                assert fetch(port, path)[1] is None
            status, cached, _body = fetch(port, PETITION + "sign/", "POST")
            assert cached is None
        finally:
            nginx.terminate()
            nginx.wait(timeout=30)
