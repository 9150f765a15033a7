"""The web server and the worker as separate processes on one SQLite file, as in `make run`.

Concurrent signers and the worker write at the same time; WAL and IMMEDIATE transactions must
keep "database is locked" away, and every e-mail must arrive once.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from django.conf import settings

from tests.conftest import Mailbox, SMTPServer, free_port

SIGNERS = 40


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)


def post_form(opener, url: str, page_url: str, data: dict) -> int:
    page = opener.open(page_url, timeout=30).read().decode()
    data["csrfmiddlewaretoken"] = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page
    ).group(1)
    request = urllib.request.Request(
        url, urllib.parse.urlencode(data).encode(), headers={"Referer": page_url}
    )
    try:
        return opener.open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def stack(tmp_path):
    port = free_port()
    smtp = SMTPServer(Mailbox(), free_port())
    smtp.start()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'firma.sqlite3'}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "PORT": str(port),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "firma.settings",
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=120)
    subprocess.run([*manage, "load_demo"], env=env, check=True, timeout=120, capture_output=True)
    base = f"http://127.0.0.1:{port}"
    web = [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"]
    worker = [*manage, "db_worker", "--no-reload", "--interval", "0.2"]
    with (
        open(tmp_path / "web.log", "w") as web_log,
        open(tmp_path / "worker.log", "w") as worker_log,
    ):
        processes = [
            subprocess.Popen(web, env=env, stdout=web_log, stderr=subprocess.STDOUT),
            subprocess.Popen(worker, env=env, stdout=worker_log, stderr=subprocess.STDOUT),
        ]
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/petitions/drop-the-charges", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        try:
            yield base, smtp.mailbox, [tmp_path / "web.log", tmp_path / "worker.log"]
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=10)
            smtp.stop()


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_concurrent_signing_with_the_worker_running(stack):
    base, mailbox, logs = stack
    page = base + "/en/p/drop-the-charges/"

    def sign(number: int) -> int:
        data = {
            "full_name": f"Signer {number}",
            "organization": "Union",
            "country": "AR",
            "email": f"s{number}@example.org",
            "public": "on",
        }
        return post_form(browser(), base + "/en/p/drop-the-charges/sign/", page, data)

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(sign, range(SIGNERS)))
    assert statuses == [302] * SIGNERS

    wait_for(lambda: len(mailbox.messages) >= SIGNERS)
    assert sorted(message["To"] for message in mailbox.messages) == sorted(
        f"s{n}@example.org" for n in range(SIGNERS)
    )

    def confirm(message) -> int:
        link = re.search(
            r"http://\S+/confirm/\S+/", message.get_body(("plain",)).get_content()
        ).group(0)
        return post_form(browser(), link, link, {})

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(confirm, mailbox.messages)) == [302] * SIGNERS

    api = json.load(urllib.request.urlopen(base + "/api/petitions/drop-the-charges", timeout=10))
    assert api["signature_count"] == SIGNERS
    assert api["signatures_by_country"] == {"AR": SIGNERS}
    time.sleep(0.5)
    assert len(mailbox.messages) == SIGNERS  # nothing sent twice
    for log in logs:
        text = log.read_text()
        assert "database is locked" not in text
        assert "Traceback" not in text
