"""A paper-import upload, waiting between the steps of an import.

It waits in a private folder under the site's data directory (UPLOAD_DIR), which every app
process of the machine shares; it is deleted by the import, by cancelling, or after a day.
An upload is refused before it is parsed when its uncompressed size or its number of rows
passes PAPER_IMPORT_MAX_BYTES or PAPER_IMPORT_MAX_ROWS (limits.py).
"""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.http import Http404

from firma.organiser.paper.tables import Table
from firma.petitions.models import Petition

UPLOAD_MAX_AGE = 24 * 3600
EXTENSIONS = (".csv", ".xlsx")


def uploads_folder() -> Path:
    return Path(settings.UPLOAD_DIR) / "paper"


def folder() -> Path:
    path = uploads_folder()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


class Upload:
    """A file waiting to be imported into one petition by one user."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def store(cls, petition: Petition, user_id: int, source, extension: str) -> "Upload":
        sweep()
        name = f"{petition.pk}-{user_id}-{secrets.token_urlsafe(16)}{extension}"
        path = folder() / name
        with path.open("wb") as file:
            for chunk in source.chunks():
                file.write(chunk)
        path.chmod(0o600)
        return cls(path)

    @classmethod
    def find(cls, petition: Petition, user_id: int, token: str) -> "Upload":
        """The user's upload for the petition: 404 for any other, or one already gone."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{22}", token):
            raise Http404
        for extension in EXTENSIONS:
            path = folder() / f"{petition.pk}-{user_id}-{token}{extension}"
            if path.exists():
                return cls(path)
        raise Http404

    @property
    def token(self) -> str:
        return self.path.stem.split("-", 2)[2]

    def table(self) -> "Table":
        return Table(self.path)

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)


def sweep() -> None:
    """Delete uploads abandoned for more than a day."""
    if not uploads_folder().exists():
        return
    limit = time.time() - UPLOAD_MAX_AGE
    for path in uploads_folder().iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
