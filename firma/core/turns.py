"""Turns to write to a SQLite file, taken in the kernel rather than in SQLite's busy handler.

SQLite lets one connection write at a time. The others wait in its busy handler, which polls
with sleeps that grow to 100 ms, so under load the write lock often sits free while every
waiter sleeps: cores idle, and requests wait far longer than the writes they queue for. A
WriteTurn queues the writers of this machine on a lock file instead (a thread lock within a
process, `flock` between processes), and the kernel wakes the next one the moment it is free.
Writers that do not take the turn still meet the busy handler, as before.
"""

import fcntl
import os
import threading
from typing import IO


class WriteTurn:
    """`with turn:` holds the turn; `path` is the lock file, made if missing."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.threads = threading.Lock()
        self.file: IO | None = None
        self.pid = 0

    def __enter__(self) -> None:
        self.threads.acquire()
        try:
            # A lock file opened before a fork would be one lock shared with the child.
            if self.file is None or self.pid != os.getpid():
                self.file, self.pid = open(self.path, "a"), os.getpid()
            fcntl.flock(self.file, fcntl.LOCK_EX)
        except BaseException:
            self.threads.release()
            raise

    def __exit__(self, *exc_info) -> None:
        try:
            fcntl.flock(self.file, fcntl.LOCK_UN)
        finally:
            self.threads.release()
