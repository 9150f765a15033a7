"""firma's settings as a fresh process sees them, for tests of configuration by environment."""

import json
import os
import subprocess
import sys

from django.conf import settings

# Set by a developer's shell or by CI, these must not leak into what a test configures.
CLEARED = {
    "DEBUG", "SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "REDIS_URL", "ALLOWED_HOSTS", "BASE_URL",
    "PORT", "CSRF_TRUSTED_ORIGINS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "BEHIND_TLS_PROXY", "ADMIN_REQUIRE_2FA", "LOGIN_FAILURE_LIMIT",
    "LOGIN_LOCKOUT_SECONDS", "SIGNING_CHALLENGE", "TRUSTED_PROXIES", "SECRET_KEY_FALLBACKS",
    "UPLOAD_DIR", "LOGIN_NETWORK_FAILURE_LIMIT", "LOGIN_USER_FAILURE_LIMIT",
}  # fmt: skip

# The settings module alone, without django.setup(): loading every app would only add a second
# to each process, and no app changes a setting.
PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in %r}, default=str))
"""


def run(env: dict, *command: str) -> subprocess.CompletedProcess:
    """`python *command` in a fresh process, configured by `env` alone."""
    environment = {key: value for key, value in os.environ.items() if key not in CLEARED}
    environment.update(env, DJANGO_SETTINGS_MODULE="firma.settings")
    return subprocess.run(
        [sys.executable, *command],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_with(env: dict, *names: str) -> subprocess.CompletedProcess:
    return run(env, "-c", PRINT_SETTINGS % (names,))


def read(env: dict, *names: str) -> dict:
    """The named settings, as JSON, of a process configured by `env`."""
    result = settings_with(env, *names)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
