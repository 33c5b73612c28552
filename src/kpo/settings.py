"""One settings module: every knob is an environment variable with a safe default."""

from __future__ import annotations

import functools
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """The header a TLS proxy sets, as Django wants it: "X-Forwarded-Proto" (or "X-Forwarded-Proto: https")
    -> ("HTTP_X_FORWARDED_PROTO", "https"); None when not set."""
    if not value.strip():
        return None
    name, _colon, expected = value.partition(":")
    name, expected = name.strip(), expected.strip()
    if not all(part.isalnum() for part in name.split("-")) or not all(c.isprintable() for c in expected):
        raise ImproperlyConfigured(
            f"KPO_PROXY_SSL_HEADER: {value!r} is not a header name, e.g. X-Forwarded-Proto or "
            "X-Forwarded-Proto: https."
        )
    if " " in expected:
        raise ImproperlyConfigured(
            f"KPO_PROXY_SSL_HEADER: the value {expected!r} must be one word, e.g. https."
        )
    return "HTTP_" + name.upper().replace("-", "_"), expected or "https"


DATA_DIR = Path(os.environ.get("KPO_DATA_DIR", PROJECT_DIR / "var"))


PRIVATE_UMASK = 0o077  # what kpo writes (database, uploads, backups, keys) is for its own account only


def prepare_data_dir() -> None:
    """Make what kpo writes from here on private (files 0600, folders 0700) and create the data folders;
    the `kpo` command and the WSGI/ASGI entry points call this, not the import."""
    os.umask(PRIVATE_UMASK)
    for folder in (DATA_DIR, STATIC_ROOT):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)


@functools.cache
def _secret_key() -> str:
    """KPO_SECRET_KEY, else a key kept in the data folder, made at its first use (not at import)."""
    configured = os.environ.get("KPO_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        try:  # exclusive: of two processes starting at once, one writes the key and both read it
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as written:
                written.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = lazy(_secret_key, str)()
DEBUG = env_bool("KPO_DEBUG", False)
DEMO_MODE = env_bool("KPO_DEMO", False)
ALLOWED_HOSTS = [
    h for h in os.environ.get("KPO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("KPO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "kpo.site.admin_site.KpoAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",  # /api/docs then loads Swagger UI from the package's static files, not from a CDN
    "kpo.core",
    "kpo.orgs",
    "kpo.experts",
    "kpo.work",
    "kpo.matching",
    "kpo.staffing",
    "kpo.forecast",
    "kpo.economics",
    "kpo.api",
    "kpo.audit",
    "kpo.notices",
    "kpo.confidentiality",
    "kpo.compliance",
    "kpo.redaction",
    "kpo.glossary",
    "kpo.vetting",
    "kpo.capacity",
    "kpo.quality",
    "kpo.sla",
    "kpo.contracts",
    "kpo.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kpo.core.trail.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kpo.site.middleware.UserTimezoneMiddleware",
    "kpo.site.two_factor.middleware.TwoFactorGateMiddleware",
    "kpo.site.middleware.AuditUnavailableMiddleware",
    "kpo.site.idle.SessionIdleMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kpo.urls"
WSGI_APPLICATION = "kpo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kpo.site.context_processors.kpo",
            ],
        },
    }
]

# Connections are kept for a minute (one per server thread) and checked before reuse, so a request does not
# pay for opening one; KPO_DB_CONN_MAX_AGE=0 closes each after its request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'kpo.sqlite3'}",
        conn_max_age=env_int("KPO_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# SQLite (the embedded default) in WAL mode: readers do not block the writer. A transaction takes the
# write lock when it begins, so concurrent writers wait (up to `timeout` seconds) instead of failing with
# "database is locked" when a transaction that has read would have to become a writer.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORM_RENDERER = "kpo.core.rendering.FormRenderer"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "kpo.site.lockout.LockoutBackend",
    "kpo.site.user_loading.ModelBackendWithProfile",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("da", _("Danish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("KPO_TIME_ZONE", "Europe/Copenhagen")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded material is private: outside any static root, served only by views that check access.
MEDIA_ROOT = Path(os.environ.get("KPO_MEDIA_ROOT", DATA_DIR / "media"))
KPO_MAX_UPLOAD_BYTES = env_int("KPO_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)
KPO_STAFFING_TIME_LIMIT = float(os.environ.get("KPO_STAFFING_TIME_LIMIT", "30"))
# Limits on what a file may cost once opened, checked at upload and again before a download is watermarked
# (docs/decisions.md, "Hostile files"): an Office file's inflated size, members and largest member, a Word
# document's characters per run, paragraph and body and its XML elements, a text's characters, PDF pages.
KPO_MAX_PACKAGE_BYTES = env_int("KPO_MAX_PACKAGE_BYTES", 100 * 1024 * 1024)
KPO_MAX_PACKAGE_PARTS = env_int("KPO_MAX_PACKAGE_PARTS", 2000)
KPO_MAX_PART_BYTES = env_int("KPO_MAX_PART_BYTES", 50 * 1024 * 1024)
KPO_MAX_RUN_CHARS = env_int("KPO_MAX_RUN_CHARS", 100_000)
KPO_MAX_PARAGRAPH_CHARS = env_int("KPO_MAX_PARAGRAPH_CHARS", 1_000_000)
KPO_MAX_DOCUMENT_CHARS = env_int("KPO_MAX_DOCUMENT_CHARS", 10_000_000)
KPO_MAX_XML_ELEMENTS = env_int("KPO_MAX_XML_ELEMENTS", 2_000_000)
KPO_MAX_PDF_PAGES = env_int("KPO_MAX_PDF_PAGES", 2000)
# A copy to watermark bigger than this (stored bytes, or characters of text) is prepared in the worker.
KPO_WATERMARK_WORKER_BYTES = env_int("KPO_WATERMARK_WORKER_BYTES", 5 * 1024 * 1024)
KPO_WATERMARK_WORKER_CHARS = env_int("KPO_WATERMARK_WORKER_CHARS", 1_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = KPO_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600  # every file kpo stores, uploaded or generated
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Jobs wait in the database until a worker (`kpo worker`) runs them. KPO_TASKS_BACKEND may name another
# backend, e.g. django_tasks.backends.immediate.ImmediateBackend to run each job inside its request.
TASKS = {"default": {"BACKEND": os.environ.get("KPO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A job that raises runs again after each of these delays (seconds), then is marked failed for good.
KPO_JOB_RETRY_DELAYS = [
    int(delay) for delay in os.environ.get("KPO_JOB_RETRY_DELAYS", "10,60,300").split(",") if delay.strip()
]
# How often a worker writes its heartbeat, and how old the freshest may be for /readyz to answer ready.
KPO_WORKER_HEARTBEAT_SECONDS = env_int("KPO_WORKER_HEARTBEAT_SECONDS", 5)
KPO_WORKER_STALE_SECONDS = env_int("KPO_WORKER_STALE_SECONDS", 60)
# Finished jobs' rows are deleted after this many days (failed ones are kept longer, for their tracebacks).
KPO_JOB_KEEP_DAYS = env_int("KPO_JOB_KEEP_DAYS", 14)
KPO_FAILED_JOB_KEEP_DAYS = env_int("KPO_FAILED_JOB_KEEP_DAYS", 90)

# HTTPS (docs/operations.md, "Deployment settings"). KPO_PROXY_SSL_HEADER names the header a TLS-terminating
# proxy sets, e.g. "X-Forwarded-Proto" (value https) or "X-Forwarded-Proto: https"; only set it when the
# proxy always sets or strips that header. Health checks stay reachable over plain HTTP on the loopback.
SECURE_HSTS_SECONDS = env_int("KPO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KPO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("KPO_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("KPO_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("KPO_PROXY_SSL_HEADER", ""))
HTTPS = SECURE_SSL_REDIRECT or SECURE_PROXY_SSL_HEADER is not None or SECURE_HSTS_SECONDS > 0

# Signing in (docs/operations.md, "Signing in"): after KPO_LOCKOUT_FAILURES failed attempts for one account,
# or from one address, within KPO_LOCKOUT_MINUTES, both are refused (429) until that long after the last.
# KPO_PROXY_COUNT trusted proxies in front of kpo: the address is the one the outermost of them saw.
KPO_PROXY_COUNT = env_int("KPO_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = env_int("KPO_LOCKOUT_FAILURES", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KPO_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = "kpo.site.lockout.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "kpo.core.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "kpo.site.lockout.locked_out_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False  # else signing in to one's own account would clear the address's count
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit trail; axes keeps only the failures it counts
KPO_SESSION_IDLE_MINUTES = env_int("KPO_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = env_int("KPO_SESSION_MAX_HOURS", 12) * 60 * 60
KPO_PASSWORD_RESETS_PER_HOUR = env_int("KPO_PASSWORD_RESETS_PER_HOUR", 3)
PASSWORD_RESET_TIMEOUT = env_int("KPO_PASSWORD_RESET_MINUTES", 60) * 60

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("KPO_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The language switch (Django's set_language) keeps the choice in a cookie for a year: it outlives the
# session, so signing out and in again keeps the language; LocaleMiddleware prefers it to Accept-Language.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from kpo's own static files, no inline
# script anywhere. Style attributes are allowed (the bars of the budget and cost charts set their width);
# images may be data: URIs (the API docs' icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page of kpo uses these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# E-mail leaves through Django's e-mail framework, sent by the worker (kpo.core.jobs.send_email). The
# console backend prints it; for SMTP set KPO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
# and the host, port, account and TLS/SSL below. KPO_BASE_URL is how people reach kpo: links in e-mails
# start with it.
EMAIL_BACKEND = os.environ.get("KPO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("KPO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("KPO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("KPO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KPO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KPO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("KPO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("KPO_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("KPO_DEFAULT_FROM_EMAIL", "kpo <kpo@localhost>")
KPO_BASE_URL = os.environ.get("KPO_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KPO_LOG_LEVEL", "WARNING")},
}

# Two-factor authentication (django-otp): the name authenticator apps show, and how many wrong codes a
# sign-in may give before it must start again with the password.
OTP_TOTP_ISSUER = os.environ.get("KPO_TWO_FACTOR_ISSUER", "kpo")
KPO_TWO_FACTOR_MAX_ATTEMPTS = env_int("KPO_TWO_FACTOR_MAX_ATTEMPTS", 5)

KPO_AUDIT_RETENTION_DAYS = env_int("KPO_AUDIT_RETENTION_DAYS", 2557)  # seven years

# A new API token works for this many days; then it answers 401 and its owner makes a new one.
KPO_TOKEN_DAYS = env_int("KPO_TOKEN_DAYS", 90)
