"""A process serving requests does not pay for libraries only a few pages use."""

import subprocess
import sys

HEAVY = ["reportlab", "openpyxl", "xlsxwriter"]

LOAD = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "firma.settings")
import django
django.setup()
import firma.urls, firma.wsgi
print(",".join(name for name in {heavy!r} if name in sys.modules))
"""


def test_the_url_configuration_loads_without_the_document_libraries():
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD.format(heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == ""
