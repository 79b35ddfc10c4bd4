"""The one settings module. Everything a deployment changes comes from the environment.

See README.md, "Configuration", for the variables.
"""

import contextlib
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tuanxue.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent


def _default_var_dir() -> Path:
    """Where data lives when TUANXUE_VAR_DIR is not set: ``var/`` of the source checkout this
    package runs from, otherwise ``~/.local/share/tuanxue`` (never the directory the command
    happens to be started in)."""
    checkout = BASE_DIR.parent.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / "var"
    return Path.home() / ".local" / "share" / "tuanxue"


VAR_DIR = Path(env_str("TUANXUE_VAR_DIR", "") or _default_var_dir()).expanduser().resolve()

DEBUG = env_bool("DEBUG", False)
_INSECURE_KEY = "insecure-development-key-change-me"
SECRET_KEY = env_str("SECRET_KEY", "")
# Without SECRET_KEY, development and tests run on a public development key. A production server
# (DEBUG=0) refuses to start on it: check-in QR codes, hall codes and sessions are signed with
# this key, so a public key would let anyone forge them (see tuanxue.startup).
SECRET_KEY_MISSING = not SECRET_KEY
if SECRET_KEY_MISSING:
    SECRET_KEY = _INSECURE_KEY
# The audit log's MAC key. It is never stored in the database, so whoever can write the database
# cannot rewrite the log unnoticed. DEBUG and the tests get a development key; without DEBUG the
# server refuses to start without AUDIT_KEY (tuanxue/wsgi.py), and commands leave new events
# unsealed until `tuanxue audit seal` runs with the key.
TESTING = "pytest" in sys.modules
_DEVELOPMENT_AUDIT_KEY = "development-audit-key-not-for-production"
AUDIT_KEY = env_str("AUDIT_KEY", _DEVELOPMENT_AUDIT_KEY if DEBUG or TESTING else "")
# `tuanxue audit verify` reports events still unsealed after this many seconds.
AUDIT_UNSEALED_BOUND = env_int("AUDIT_UNSEALED_BOUND", 60)
# The sealer appends a signed checkpoint to VAR_DIR/audit-checkpoints.jsonl at most this often.
AUDIT_CHECKPOINT_SECONDS = env_int("AUDIT_CHECKPOINT_SECONDS", 300)
AUDIT_CHECKPOINT_EVENTS = env_int("AUDIT_CHECKPOINT_EVENTS", 10000)
AUDIT_CHECKPOINT_FILE = Path(
    env_str("AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.jsonl"))
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_cas_ng",
    "django_tasks",
    "django_tasks_db",
    "tuanxue.core",
    "tuanxue.org",
    "tuanxue.ledger",
    "tuanxue.charter",
    "tuanxue.selection",
    "tuanxue.activities",
    "tuanxue.congress",
    "tuanxue.review",
    "tuanxue.voice",
    "tuanxue.linkage",
    "tuanxue.transcript",
    "tuanxue.oversight",
    "tuanxue.federation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ from the application itself, so a WSGI server alone serves a styled site.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tuanxue.org.people.middleware.ForcePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tuanxue.urls"
WSGI_APPLICATION = "tuanxue.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tuanxue.org.context.viewer",
                "tuanxue.core.context.notifications",
            ],
        },
    },
]


def _database(url: str) -> dict:
    try:
        # Persistent connections (checked before reuse): a request does not pay for a new one.
        config = dj_database_url.parse(
            url,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database address: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with a health check that skips connections used a moment ago.
        config["ENGINE"] = "tuanxue.core.pgbackend"
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock when a
        # transaction starts, so two writers queue instead of failing half-way.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
        config["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    return config


DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tuanxue.sqlite3'}")
DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "tuanxue.core.security.throttle.ThrottledModelBackend",
    "tuanxue.core.security.cas.CampusBackend",
]
# Campus sign-on (CAS 2.0/3.0): off unless CAS_SERVER_URL is set. The campus id is a student or
# staff number; CAS_SCHOOL names the school whose records it is looked up in (with one school,
# it may be left empty).
CAS_SERVER_URL = env_str("CAS_SERVER_URL", "")
CAS_VERSION = env_str("CAS_VERSION", "3")
CAS_SCHOOL = env_str("CAS_SCHOOL", "")
CAS_CREATE_USER = False
CAS_REDIRECT_URL = "/"
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_STORE_NEXT = True
CAS_VERIFY_SSL_CERTIFICATE = env_bool("CAS_VERIFY_SSL_CERTIFICATE", True)
# The default first: every password a person chooses uses it. The second is only for the random
# one-time passwords Tuanxue draws (see tuanxue/org/people/hashers.py).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "tuanxue.org.people.hashers.OneTimePasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Logins created at once on the accounts page (about 2 ms each); more goes through the command.
ACCOUNTS_PAGE_LIMIT = env_int("ACCOUNTS_PAGE_LIMIT", 3000)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed logins allowed per account within the window before it is locked; failures from one
# address after which that address must wait between attempts (doubling, up to the maximum).
LOGIN_THROTTLE_LIMIT = env_int("LOGIN_THROTTLE_LIMIT", 5)
LOGIN_THROTTLE_WINDOW = env_int("LOGIN_THROTTLE_WINDOW", 15 * 60)
LOGIN_THROTTLE_ADDRESS_LIMIT = env_int("LOGIN_THROTTLE_ADDRESS_LIMIT", 20)
LOGIN_THROTTLE_MAX_DELAY = env_int("LOGIN_THROTTLE_MAX_DELAY", 60)
# Reverse proxies (addresses or networks) whose X-Forwarded-For header is believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", "") or VAR_DIR / "static").expanduser().resolve()
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", "") or VAR_DIR / "media").expanduser().resolve()
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed copies are made by `tuanxue collectstatic`; the files are served either way.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve the apps' static files even before `collectstatic` has run (one small stylesheet and
# images); after it, the collected and compressed copies in STATIC_ROOT are preferred.
WHITENOISE_USE_FINDERS = True
# WhiteNoise expects the directory to exist; it stays empty until `collectstatic`.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG

# Check-in: how long one rotating QR code lasts, and a student's personal code.
CHECKIN_QR_SECONDS = env_int("CHECKIN_QR_SECONDS", 30)
CHECKIN_STUDENT_CODE_SECONDS = env_int("CHECKIN_STUDENT_CODE_SECONDS", 300)
# Wrong six-digit codes (an activity's check-in code, the congress hall code) a user may type
# within the window before they must wait.
CODE_ATTEMPT_LIMIT = env_int("CODE_ATTEMPT_LIMIT", 5)
CODE_ATTEMPT_WINDOW = env_int("CODE_ATTEMPT_WINDOW", 10 * 60)
# Supports that put a student's activity proposal on the department's list.
PROPOSAL_SUPPORT_THRESHOLD = env_int("PROPOSAL_SUPPORT_THRESHOLD", 20)

# Uploaded spreadsheets larger than this are refused before they are read.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# Limits checked while a file streams past (see docs/imports.md): data rows, cells in the sheet's
# extent, and the unpacked size of an .xlsx package (a zip bomb guard).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 2_000_000)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
# On the upload page, files up to this size are checked during the request, and files of up to
# this many rows imported during it; larger ones go to the background worker.
IMPORT_SYNC_MAX_BYTES = env_int("IMPORT_SYNC_MAX_BYTES", 512 * 1024)
IMPORT_SYNC_MAX_ROWS = env_int("IMPORT_SYNC_MAX_ROWS", 5000)

# Background jobs: Django's task framework (django-tasks backport). The database backend needs
# no extra server; run `tuanxue db_worker` beside the web server. See docs/imports.md for RQ.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Live progress of running jobs (written outside the job's transaction). A file cache is shared
# by the web server and the worker on one machine; point it at Redis for several machines.
CACHES["jobs"] = {
    "BACKEND": env_str("JOBS_CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache"),
    "LOCATION": env_str("JOBS_CACHE_LOCATION", str(VAR_DIR / "cache" / "jobs")),
}
# A running job silent for this long is taken to be lost with its worker and is queued again,
# at most JOB_MAX_ATTEMPTS times in all.
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 300)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS: redirect plain HTTP, tell browsers to use HTTPS only (HSTS), and behind a proxy that
# terminates TLS, which header says the original request was HTTPS ("HEADER,value").
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
_proxy_header = env_list("SECURE_PROXY_SSL_HEADER", [])
if _proxy_header and len(_proxy_header) != 2:
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER must be a header and a value, e.g. HTTP_X_FORWARDED_PROTO,https"
    )
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if _proxy_header else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The level applies to the handler too: Django's own loggers (``django.request`` warns of
    # every 4xx) pass their records up to it whatever the root logger's level.
    "handlers": {
        "console": {"class": "logging.StreamHandler", "level": env_str("LOG_LEVEL", "WARNING")}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

SITE_NAME = _("Tuanxue")
# Where links in e-mails point to.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# E-mail is optional: with EMAIL_HOST set, notifications are also sent by e-mail.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tuanxue@localhost")
NOTIFY_BY_EMAIL = bool(EMAIL_HOST)
