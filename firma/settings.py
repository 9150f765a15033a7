"""firma's one settings module, configured from environment variables.

Every setting has a safe local default, so `make run` needs nothing else. README.md lists the
variables a deployment sets.
"""

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp import constants as csp_sources
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
env = environ.Env()


def _development_process() -> bool:
    """The test suite, or a command run from a checkout: `make run`, `manage.py runserver`,
    `makemigrations`, `createsuperuser`.

    The processes that serve pages and send links, the WSGI app under any server and the task
    worker, start as production does unless DEBUG says otherwise, so they refuse the built-in key.
    """
    if "pytest" in sys.modules:
        return True
    return Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["db_worker"]


DEBUG = env.bool("DEBUG", default=_development_process())

INSECURE_SECRET_KEY = "local-development-only-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_SECRET_KEY)
# Earlier keys, still accepted for signed links while they age out after a key change.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
if not DEBUG and INSECURE_SECRET_KEY in (SECRET_KEY, *SECRET_KEY_FALLBACKS):
    # Links signed with the published key (on a laptop, in a demo) must never open anything here.
    raise ImproperlyConfigured(
        "DEBUG is off: set SECRET_KEY to a long random value (the built-in development key is "
        "refused, also in SECRET_KEY_FALLBACKS)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
PORT = env.int("PORT", default=8000)
# Absolute links in e-mails are built from this, never from the request's Host header.
BASE_URL = env.str("BASE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[BASE_URL])

# HTTPS. A server (DEBUG=0) redirects to https, sends HSTS and keeps its cookies to https; each
# can be changed, though `manage.py check --deploy` then warns.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# Behind a reverse proxy that terminates TLS, the request reaching Django is plain http: the
# proxy says it was https in X-Forwarded-Proto. Only set this if the proxy always sets (never
# passes on) that header, or anyone could claim https.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page may be framed; firma.core.middleware.allow_framing lifts this for a view meant to be
# embedded (X-Frame-Options and the CSP frame-ancestors together).
X_FRAME_OPTIONS = "DENY"
# Every script, style, image and font comes from this server: no inline code, no other origin.
# The admin works within it too (Django's admin has no inline scripts or styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_sources.NONE],
        "script-src": [csp_sources.SELF],
        "style-src": [csp_sources.SELF],
        "img-src": [csp_sources.SELF, "data:"],
        "font-src": [csp_sources.SELF],
        "connect-src": [csp_sources.SELF],
        "form-action": [csp_sources.SELF],
        "frame-ancestors": [csp_sources.NONE],
        "base-uri": [csp_sources.NONE],
    },
}

INSTALLED_APPS = [
    # django.contrib.admin, with firma's admin site (firma/tenancy/sites.py).
    "firma.organiser.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "firma.core",
    "firma.petitions",
    "firma.organiser",
    "firma.ledger",
    "firma.api",
]

MIDDLEWARE = [
    # Probes from loopback and trusted proxies, answered whatever their Host and scheme.
    "firma.core.health.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "firma.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (static files come compressed from WhiteNoise, above it). Safe from
    # BREACH: the CSRF token in forms is masked anew in every response, and Django pads each
    # compressed response with random bytes (Heal The Breach).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "firma.urls"
CSRF_FAILURE_VIEW = "firma.petitions.page.views.csrf_failure"
WSGI_APPLICATION = "firma.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each room of an app (an organiser's tool, say) keeps its own templates.
        "DIRS": [BASE_DIR / "firma" / "templates", *sorted(BASE_DIR.glob("firma/*/*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise (postgres://user@host:5432/name).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'firma.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one process writes; IMMEDIATE transactions take the write
    # lock up front, so the busy timeout applies and the web and the worker queue for it
    # instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Reusing connections saves a connect per request (and, on SQLite, a checkpoint per close).
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (redis://127.0.0.1:6379/0).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several sites (or test runs) can share one Redis with distinct prefixes.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default=""),
        }
    }
else:
    # Without Redis, a disk cache under var/ that every process on the machine shares, so that
    # rate limits hold across the web server's workers.
    CACHES = {
        "default": {
            "BACKEND": "firma.core.cache.SharedDiskCache",
            "LOCATION": env.str("CACHE_DIR", default=str(VAR_DIR / "cache")),
            "TIMEOUT": 300,
            "SHARDS": 4,
            "DATABASE_TIMEOUT": 0.05,
        }
    }

# Background work: the database is the durable queue; `manage.py db_worker` runs it.
# Webhooks have their own queue, and their own worker (`db_worker --queue-name webhooks`).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "webhooks"],
    }
}

# The key that signs the ledger's tree heads (firma/ledger/keys.py): 64 hex digits of an Ed25519
# private key, or a PEM. Without it, a key is generated once into LEDGER_KEY_FILE; keep that file
# (and back it up): heads signed with a lost key can still be checked, but not extended.
LEDGER_SIGNING_KEY = env.str("LEDGER_SIGNING_KEY", default="")
# Off, nothing new is noted, appended or signed (to measure what the ledger costs); erasures
# still destroy the salts of the leaves already written.
LEDGER_ENABLED = env.bool("LEDGER_ENABLED", default=True)
LEDGER_KEY_FILE = Path(env.str("LEDGER_KEY_FILE", default=str(VAR_DIR / "ledger-signing-key.pem")))

# How long a petition's count may be served from the cache (see petitions/counting.py).
COUNT_CACHE_SECONDS = env.float("COUNT_CACHE_SECONDS", default=1.0)
# How long the petition page, as anonymous readers see it, is served from the cache (pages.py).
PAGE_CACHE_SECONDS = env.float("PAGE_CACHE_SECONDS", default=1.0)
# How long a petition's dashboard figures are kept before they are added up again.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=30)
# A task RUNNING for longer than this is taken for the work of a dead worker and queued again.
TASK_STALL_SECONDS = env.int("TASK_STALL_SECONDS", default=300)

# E-mail: EMAIL_URL such as smtp://user:password@host:587 (smtp+tls:// for STARTTLS,
# smtp+ssl:// for implicit TLS). Without it, messages are printed by the worker.
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="firma <petitions@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds to wait before each new attempt when the mail server is unreachable or answers 4xx;
# after the last one the failure is recorded on the signature.
EMAIL_RETRY_DELAYS = env.list(
    "EMAIL_RETRY_DELAYS",
    cast=int,
    default=[30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600],
)
# Deliverability (DNS) checks of signers' addresses are off by default: they need the network.
EMAIL_CHECK_DELIVERABILITY = env.bool("EMAIL_CHECK_DELIVERABILITY", default=False)
EMAIL_DNS_TIMEOUT = env.float("EMAIL_DNS_TIMEOUT", default=3.0)

# How long a confirmation link stays valid, in seconds.
CONFIRMATION_MAX_AGE = env.int("CONFIRMATION_MAX_AGE", default=30 * 24 * 3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Organiser logins. django-axes refuses a user name from an address (an IPv6 /64) after
# LOGIN_FAILURE_LIMIT failed passwords, for LOGIN_LOCKOUT_SECONDS; other users and addresses are
# not affected. Guessing across user names from one network, or at one user name from many
# networks, is refused after LOGIN_NETWORK_FAILURE_LIMIT and LOGIN_USER_FAILURE_LIMIT failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(seconds=env.int("LOGIN_LOCKOUT_SECONDS", default=3600))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
# One limit for each of AXES_LOCKOUT_PARAMETERS, in its order (firma/tenancy/logins.py).
LOGIN_FAILURE_LIMITS = [
    AXES_FAILURE_LIMIT,
    env.int("LOGIN_NETWORK_FAILURE_LIMIT", default=20),
    env.int("LOGIN_USER_FAILURE_LIMIT", default=20),
]
AXES_HANDLER = "firma.tenancy.logins.LoginAttempts"
AXES_RESET_ON_SUCCESS = True
# The client's address as the signing defences see it (TRUSTED_PROXIES applies).
AXES_CLIENT_IP_CALLABLE = "firma.tenancy.logins.client_ip"
AXES_LOCKOUT_CALLABLE = "firma.tenancy.logins.lockout"
# Two-factor authentication (TOTP authenticator apps, django-otp). Organisers who register an
# app at /admin/two-factor/ need its code to log in; with ADMIN_REQUIRE_2FA every organiser does.
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = f"firma {urlsplit(BASE_URL).hostname}"
# Secrets of authenticator apps are shown to their owner only, never in the device admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
    # Right to left: pages in Arabic get dir="rtl" (Django's get_language_bidi).
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

SIGNERS_PER_PAGE = 20
# The public lists go this many pages deep and no further: a page is read with an OFFSET, and a
# deep one would cost the database as much as reading every page before it. The API's cursor
# reaches every listed signer.
SIGNER_LIST_MAX_PAGES = env.int("SIGNER_LIST_MAX_PAGES", default=50)
PETITIONS_PER_PAGE = 30
PETITION_INDEX_MAX_PAGES = 20

# Defences of the signing form. Addresses or networks of the reverse proxies in front of firma,
# whose X-Forwarded-For header is believed: "127.0.0.1,10.0.0.0/8".
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# "count/seconds": attempts per network (an IPv4 address or an IPv6 /64), valid signatures per
# e-mail domain, and a per-petition ceiling far above any real spike.
SIGNING_RATE_LIMITS = {
    "ip_burst": env.str("RATE_LIMIT_IP_BURST", default="10/60"),
    "ip_sustained": env.str("RATE_LIMIT_IP_SUSTAINED", default="60/3600"),
    "domain": env.str("RATE_LIMIT_DOMAIN", default="100/3600"),
    "petition": env.str("RATE_LIMIT_PETITION", default="1200000/60"),
}
for _name, _limit in SIGNING_RATE_LIMITS.items():
    _count, _, _seconds = _limit.partition("/")
    if not (_count.isdigit() and _seconds.isdigit() and int(_seconds) > 0):
        raise ImproperlyConfigured(f"Rate limit {_name} must be count/seconds, like 10/60.")
# Domains without a per-domain limit, besides the large providers in
# firma/petitions/defences/ratelimits.py.
SIGNING_RATE_LIMIT_FREE_DOMAINS = set(env.list("RATE_LIMIT_FREE_DOMAINS", default=[]))
# Proof of work: "adaptive" (each petition decides, and switches it on under attack),
# "always" or "never".
SIGNING_CHALLENGE = env.str("SIGNING_CHALLENGE", default="adaptive")
if SIGNING_CHALLENGE not in ("adaptive", "always", "never"):
    raise ImproperlyConfigured("SIGNING_CHALLENGE must be adaptive, always or never.")
# Far above a viral spike (5,000 a second): real surges must not make everyone solve puzzles.
SIGNING_CHALLENGE_ATTEMPTS_PER_MINUTE = env.int("SIGNING_CHALLENGE_ATTEMPTS", default=300_000)
SIGNING_CHALLENGE_MIN_FAILURES = env.int("SIGNING_CHALLENGE_MIN_FAILURES", default=100)
SIGNING_CHALLENGE_FAILURE_RATIO = env.float("SIGNING_CHALLENGE_FAILURE_RATIO", default=0.5)
SIGNING_CHALLENGE_HOLD = env.int("SIGNING_CHALLENGE_HOLD", default=3600)
SIGNING_CHALLENGE_WINDOW = 60  # seconds over which attempts and failures are counted
SIGNING_CHALLENGE_EXPIRES = 1200
# Leading zero hex digits the solution's hash needs: each one multiplies the work by 16.
SIGNING_CHALLENGE_DIFFICULTY = env.int("SIGNING_CHALLENGE_DIFFICULTY", default=4)
# A form sent sooner than this after the page was served is flagged as suspicious.
SIGNING_MIN_FILL_SECONDS = env.int("SIGNING_MIN_FILL_SECONDS", default=3)
# Sign POSTs in the common case are read without the form classes (petitions/signing/lean.py);
# off, every one goes through the form, as the bench's comparison does.
SIGNING_LEAN = env.bool("SIGNING_LEAN", default=True)
# Disposable e-mail domains refused besides the disposable-email-domains list.
DISPOSABLE_EMAIL_DOMAINS = set(env.list("DISPOSABLE_EMAIL_DOMAINS", default=[]))

# Files uploaded for a later step (paper imports), shared by every app process of the machine.
UPLOAD_DIR = Path(env.str("UPLOAD_DIR", default=str(VAR_DIR / "uploads")))
# Paper-import uploads are refused, before parsing, past these (uncompressed bytes, rows).
PAPER_IMPORT_MAX_BYTES = env.int("PAPER_IMPORT_MAX_BYTES", default=100 * 1024 * 1024)
PAPER_IMPORT_MAX_ROWS = env.int("PAPER_IMPORT_MAX_ROWS", default=100_000)

# Trends (firma/organiser/moderation/trends.py): a group of the last hour's signatures (an IP
# hash, an e-mail domain, a country, a source) with at least this many signatures and refused
# signing attempts together, at this many times its usual rate, is e-mailed to the petition's
# moderators, once in this many seconds.
TREND_ALERT_MIN_SIGNATURES = env.int("TREND_ALERT_MIN_SIGNATURES", default=50)
TREND_ALERT_RATIO = env.float("TREND_ALERT_RATIO", default=10.0)
TREND_ALERT_QUIET_SECONDS = env.int("TREND_ALERT_QUIET_SECONDS", default=24 * 3600)

# Days to keep signers' personal data after a petition closes (each petition can change it).
RETENTION_DAYS = env.int("RETENTION_DAYS", default=90)

# The data controller named on the privacy page. Contacts are e-mail addresses or URLs.
ORGANISATION_NAME = env.str("ORGANISATION_NAME", default="firma demo")
ORGANISATION_ADDRESS = env.str("ORGANISATION_ADDRESS", default="1 Example Street, Example City")
ORGANISATION_CONTACT = env.str("ORGANISATION_CONTACT", default="petitions@localhost")
DATA_PROTECTION_CONTACT = env.str("DATA_PROTECTION_CONTACT", default=ORGANISATION_CONTACT)
# How long the private link to see, change or delete a signature works, in seconds.
SELF_SERVICE_MAX_AGE = env.int("SELF_SERVICE_MAX_AGE", default=2 * 365 * 24 * 3600)
# How long the private links a petition's targets receive (the signatures, the answer page)
# work, in seconds: long enough for an institution to answer.
DELIVERY_LINK_MAX_AGE = env.int("DELIVERY_LINK_MAX_AGE", default=180 * 24 * 3600)
# The longest answer a target may send through the answer page, in characters.
RESPONSE_MAX_LENGTH = 20_000

# Updates to signers: at most this many e-mails a minute, so the mail server and the receiving
# providers are not flooded (see firma/organiser/updates/services.py).
UPDATE_SEND_RATE = env.int("UPDATE_SEND_RATE", default=600)
if UPDATE_SEND_RATE < 1:
    raise ImproperlyConfigured("UPDATE_SEND_RATE must be at least 1 (e-mails per minute).")

# The JSON API (firma/api). Public reads per client network ("count/seconds", like the signing
# limits), how long shared caches may keep a public answer and serve it stale while they
# refresh it, and page sizes of the lists.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="300/60")
API_MAX_AGE = env.int("API_MAX_AGE", default=1)
API_STALE_WHILE_REVALIDATE = env.int("API_STALE_WHILE_REVALIDATE", default=5)
API_DAYS_CACHE_SECONDS = env.int("API_DAYS_CACHE_SECONDS", default=60)
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 500
# Webhooks: seconds an attempt may take in all (looking up the receiver, connecting, sending,
# reading its answer), and before each new attempt after a network error or a 5xx answer;
# after the last one the delivery is marked failed.
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=5.0)
WEBHOOK_RETRY_DELAYS = env.list(
    "WEBHOOK_RETRY_DELAYS", cast=int, default=[30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600]
)
# Webhooks may not reach loopback or private addresses (the server's own services) unless
# this is on.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"firma": {"handlers": ["console"], "level": "INFO"}},
}
