"""The web server and the worker as separate processes on one SQLite file, as in `make run`.

Concurrent signers and the worker write at the same time; WAL and IMMEDIATE transactions must
keep "database is locked" away, and every e-mail must arrive once.
"""

import json
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import Mailbox, SMTPServer, free_port
from tests.servers import Browser, firma_processes

SIGNERS = 40
PETITION = "/en/p/drop-the-charges/"


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_concurrent_signing_with_the_worker_running(tmp_path):
    smtp = SMTPServer(Mailbox(), free_port())
    smtp.start()
    env = {"EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}", "RATE_LIMIT_IP_BURST": "1000/60"}
    try:
        with firma_processes(tmp_path, env, worker=True) as ([base], logs):

            def sign(number: int) -> int:
                browser = Browser(base)
                data = {
                    "csrfmiddlewaretoken": browser.form_token(PETITION),
                    "full_name": f"Signer {number}",
                    "organization": "Union",
                    "country": "AR",
                    "email": f"s{number}@example.org",
                    "public": "on",
                }
                return browser.request("POST", PETITION + "sign/", data)[0]

            with ThreadPoolExecutor(8) as pool:
                assert list(pool.map(sign, range(SIGNERS))) == [302] * SIGNERS

            mailbox = smtp.mailbox
            wait_for(lambda: len(mailbox.messages) >= SIGNERS)
            addresses = sorted(message["To"] for message in mailbox.messages)
            assert addresses == sorted(f"s{n}@example.org" for n in range(SIGNERS))

            def confirm(message) -> int:
                text = message.get_body(("plain",)).get_content()
                link = re.search(r"http://[^/]+(/\S+/confirm/\S+/)", text).group(1)
                browser = Browser(base)
                return browser.request(
                    "POST", link, {"csrfmiddlewaretoken": browser.form_token(link)}
                )[0]

            with ThreadPoolExecutor(8) as pool:
                assert list(pool.map(confirm, mailbox.messages)) == [302] * SIGNERS

            def read_api() -> dict:
                return json.load(urllib.request.urlopen(base + "/api/petitions/drop-the-charges"))

            # The count is exact within two seconds of the last confirmation.
            wait_for(lambda: read_api()["signature_count"] == SIGNERS, seconds=2.5)
            api = read_api()
            assert api["signature_count"] == SIGNERS
            assert api["signatures_by_country"] == {"AR": SIGNERS}
            time.sleep(0.5)
            assert len(mailbox.messages) == SIGNERS  # nothing sent twice
    finally:
        smtp.stop()
    for log in logs:
        text = log.read_text()
        assert "database is locked" not in text
        assert "Traceback" not in text
