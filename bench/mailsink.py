"""The bench's mail server: `python bench/mailsink.py PORT FILE`, started by bench/run.py.

An SMTP server on loopback (aiosmtpd, as the tests' sink) that accepts every message and
appends the moment it arrived (time.time()) to FILE, one line per recipient: the worker
really sends, and the bench counts what arrived during and after the signing phases. A process
of its own, so that it takes no time from the load generator.
"""

import sys
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path: str) -> None:
        self.log = open(path, "a", buffering=1)  # noqa: SIM115 (open while the server runs)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.log.write(f"{time.time()}\n" * len(envelope.rcpt_tos))
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(path), hostname="127.0.0.1", port=port)
    controller.start()
    print("listening", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
