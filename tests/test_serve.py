"""`make serve`: the production server and the worker, from the environment alone."""

import json
import os
import re
import signal
import subprocess
import time
import urllib.request

from django.conf import settings

from tests.conftest import Mailbox, SMTPServer, free_port
from tests.servers import Browser, copy_demo_database


def wait_for_live(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(base + "/health/live", timeout=1).status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("make serve did not come up")


def test_make_serve_takes_and_confirms_a_signature(tmp_path):
    port = free_port()
    smtp = SMTPServer(Mailbox(), free_port())
    smtp.start()
    env = {
        **os.environ,
        "PORT": str(port),
        "WORKERS": "2",
        "SECRET_KEY": "a-long-random-secret-for-this-test-only-" * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'firma.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "DJANGO_SETTINGS_MODULE": "firma.settings",
    }
    env.pop("DEBUG", None)
    copy_demo_database(tmp_path / "firma.sqlite3")
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_live(base)
        assert json.load(urllib.request.urlopen(base + "/health/ready"))["database"] == "ok"
        page = "/en/p/drop-the-charges/"
        browser = Browser(base)
        data = {
            "csrfmiddlewaretoken": browser.form_token(page),
            "full_name": "Production Signer",
            "organization": "Union",
            "country": "CL",
            "email": "prod@example.org",
            "public": "on",
        }
        assert browser.request("POST", page + "sign/", data)[0] == 302
        deadline = time.monotonic() + 30
        while not smtp.mailbox.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        [message] = smtp.mailbox.messages
        text = message.get_body(("plain",)).get_content()
        link = re.search(r"http://[^/]+(/\S+/confirm/\S+/)", text).group(1)
        confirmer = Browser(base)
        token = confirmer.form_token(link)
        assert confirmer.request("POST", link, {"csrfmiddlewaretoken": token})[0] == 302
        confirmed = time.monotonic()
        # The count is served from a cache for up to COUNT_CACHE_SECONDS (1 s): exact within 2 s.
        while True:
            api = json.load(urllib.request.urlopen(base + "/api/petitions/drop-the-charges"))
            if api["signature_count"] == 1 or time.monotonic() - confirmed > 2:
                break
            time.sleep(0.1)
        assert api["signature_count"] == 1
        # The page is rendered once a second for every reader (PAGE_CACHE_SECONDS).
        while True:
            status, html = Browser(base).request("GET", page)
            if "Production Signer" in html or time.monotonic() - confirmed > 3:
                break
            time.sleep(0.2)
        assert status == 200
        assert "Production Signer" in html
        assert "DEBUG = True" not in html
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()
        smtp.stop()
    assert "granian" in (tmp_path / "serve.log").read_text().lower()
