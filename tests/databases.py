"""The SQLite test database of each test process, copied from one migrated template.

Applying every migration takes seconds, and under pytest-xdist each worker would apply them
to its own in-memory database. Instead the first process to need a database migrates a file
once (a lock keeps the others waiting), kept under var/ by a hash of what the schema depends on;
each process then copies that file into its in-memory database, where Django's own migrate
finds nothing left to apply. PostgreSQL is left to Django and pytest-django as usual.
"""

import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import django
from django.conf import settings
from django.db.backends.sqlite3.creation import DatabaseCreation

FOLDER = Path(settings.BASE_DIR) / "var" / "test-databases"

# The in-memory databases filled from the template, kept open: SQLite drops a shared in-memory
# database when its last connection closes, and Django closes its own between steps.
_holders: list[sqlite3.Connection] = []


def schema_key() -> str:
    """A hash of everything the migrated schema depends on."""
    digest = hashlib.sha256(django.__version__.encode())
    base = Path(settings.BASE_DIR)
    sources = [base / "firma" / "settings.py", base / "tests" / "settings.py"]
    sources += sorted(base.glob("firma/**/migrations/*.py"))
    for path in sources:
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def template() -> Path:
    """The migrated template for the current schema, made if no process has made it yet."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / f"{schema_key()}.sqlite3"
    with (FOLDER / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            for old in FOLDER.glob("*.sqlite3*"):
                old.unlink(missing_ok=True)
            building = path.with_suffix(".building")
            building.unlink(missing_ok=True)
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{building}",
                "DJANGO_SETTINGS_MODULE": "tests.settings",
                "DEBUG": "1",
            }
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--run-syncdb", "-v0"],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
                timeout=300,
            )
            # One self-contained file: what is still in the write-ahead log goes into it.
            with sqlite3.connect(building) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.execute("PRAGMA journal_mode=DELETE")
            connection.close()
            building.rename(path)
    return path


_create_test_db = DatabaseCreation._create_test_db


def _create_from_template(self, verbosity, autoclobber, keepdb=False):
    name = _create_test_db(self, verbosity, autoclobber, keepdb)
    if self.is_in_memory_db(name) and not keepdb:
        source = sqlite3.connect(template())
        holder = sqlite3.connect(name, uri=True)
        try:
            source.backup(holder)
        finally:
            source.close()
        _holders.append(holder)
    return name


def use_template() -> None:
    """Make Django's SQLite test databases start from the template."""
    DatabaseCreation._create_test_db = _create_from_template


def stop_using_template() -> None:
    DatabaseCreation._create_test_db = _create_test_db
    while _holders:
        _holders.pop().close()
