"""A worker killed in the middle of sending confirmation e-mails: another worker finishes the
queue, and every signer gets exactly one e-mail (firma/core/recovery.py, tasks.deliver)."""

import asyncio
import os
import signal
import subprocess
import threading
import time

from tests.conftest import Mailbox, SMTPServer, free_port
from tests.servers import MANAGE, Browser, firma_processes

SIGNERS = 60
PETITION = "/en/p/drop-the-charges/"


class SlowMailbox(Mailbox):
    """Takes a while over one recipient, so that the worker can be killed in the middle of that
    message (which never arrives: a message is only taken at the end of DATA)."""

    def __init__(self, slow_at: int) -> None:
        super().__init__()
        self.slow_at = slow_at
        self.recipients = 0
        self.in_the_middle = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.recipients += 1
        if self.recipients == self.slow_at:
            self.in_the_middle.set()
            await asyncio.sleep(5)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_no_confirmation_is_lost_or_sent_twice_when_the_worker_is_killed(tmp_path):
    mailbox = SlowMailbox(slow_at=SIGNERS // 4)
    smtp = SMTPServer(mailbox, free_port())
    smtp.start()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'firma.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "DJANGO_SETTINGS_MODULE": "firma.settings",
        "DEBUG": "1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "RATE_LIMIT_IP_BURST": "1000/60",
        "TASK_STALL_SECONDS": "2",
    }
    worker = [*MANAGE, "db_worker", "--no-reload", "--interval", "0.1"]
    try:
        with firma_processes(tmp_path, env) as ([base], _):
            for number in range(SIGNERS):
                browser = Browser(base)
                data = {
                    "csrfmiddlewaretoken": browser.form_token(PETITION),
                    "full_name": f"Signer {number}",
                    "organization": "Union",
                    "country": "AR",
                    "email": f"s{number}@example.org",
                }
                assert browser.request("POST", PETITION + "sign/", data)[0] == 302
        subprocess.run([*MANAGE, "schedule_tasks"], env=env, check=True, capture_output=True)

        first = subprocess.Popen(worker, env=env, stderr=subprocess.DEVNULL)
        assert mailbox.in_the_middle.wait(60)
        first.send_signal(signal.SIGKILL)
        first.wait()
        sent_before = len(mailbox.messages)
        assert sent_before < SIGNERS  # killed mid-batch

        with (tmp_path / "worker.log").open("w") as log:
            second = subprocess.Popen(worker, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_for(lambda: len(mailbox.messages) >= SIGNERS, 90)
                time.sleep(3)  # anything sent twice would arrive by now
            finally:
                second.terminate()
                second.wait(timeout=20)
    finally:
        smtp.stop()
    recipients = sorted(message["To"] for message in mailbox.messages)
    assert recipients == sorted(f"s{number}@example.org" for number in range(SIGNERS))
