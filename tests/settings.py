"""firma's settings for its own test process: what only costs time there is made cheap.

The processes that tests start (tests/servers.py) run on firma.settings itself.
"""

from firma.settings import *  # noqa: F403

# The production hasher takes a quarter of a second per password, by design; the tests create
# users by the hundred and prove nothing about hashing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Memory, emptied before each test (tests/conftest.py). The disk cache a deployment runs on is
# used by the tests that are about it (the `disk_cache` fixture) and by every real process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tests",
    }
}

# WhiteNoise indexes every collected static file when its middleware starts, and the test
# client starts the middleware anew for each test: looking a file up when it is asked for
# costs nothing to the many tests that never ask for one.
WHITENOISE_AUTOREFRESH = True
