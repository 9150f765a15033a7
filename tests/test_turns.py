"""Writers of a SQLite file take turns on a lock file (firma.core.turns): never two at once, across
threads and processes, and each waiter is let in as soon as the turn is free."""

import multiprocessing
import threading
import time
from pathlib import Path

from firma.core.turns import WriteTurn

WRITERS_PER_PROCESS = 3
TURNS_PER_WRITER = 5
HOLD_SECONDS = 0.005


def take_turns(lock_path: str, log_path: str) -> None:
    """From several threads, note when each turn starts and ends, holding it a while."""
    turn = WriteTurn(lock_path)

    def writer() -> None:
        for _ in range(TURNS_PER_WRITER):
            with turn:
                with open(log_path, "a") as log:
                    log.write(f"start {time.monotonic()}\n")
                time.sleep(HOLD_SECONDS)
                with open(log_path, "a") as log:
                    log.write(f"end {time.monotonic()}\n")

    threads = [threading.Thread(target=writer) for _ in range(WRITERS_PER_PROCESS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_threads_and_processes_never_hold_the_turn_together(tmp_path: Path):
    lock, log = str(tmp_path / "writers.lock"), str(tmp_path / "log")
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=take_turns, args=(lock, log)) for _ in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0

    events = Path(log).read_text().split()[::2]
    assert len(events) == 2 * 2 * WRITERS_PER_PROCESS * TURNS_PER_WRITER
    assert events == ["start", "end"] * (len(events) // 2)


def test_a_waiter_gets_the_turn_as_soon_as_it_is_free(tmp_path: Path):
    """No polling: the kernel hands the turn over, not a retry some milliseconds later."""
    turn = WriteTurn(str(tmp_path / "writers.lock"))
    released, entered = [], []

    def waiter() -> None:
        with turn:
            entered.append(time.monotonic())

    with turn:
        thread = threading.Thread(target=waiter)
        thread.start()
        time.sleep(0.2)
        assert not entered
        released.append(time.monotonic())
    thread.join(timeout=5)
    assert entered and entered[0] - released[0] < 0.05
