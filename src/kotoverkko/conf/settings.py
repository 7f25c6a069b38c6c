"""Settings, read from the environment. Production defaults are the safe ones."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "production" (default), "development" (make run) or "test".
PROFILE = os.environ.get("KOTOVERKKO_PROFILE", "production")
DEVELOPMENT = PROFILE == "development"
TESTING = PROFILE == "test"

DATA_DIR = Path(os.environ.get("DATA_DIR", Path.cwd() / "data")).resolve()


def _secret_key() -> str:
    """Use SECRET_KEY, or a key generated once and kept under DATA_DIR."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if TESTING:
        return "test-" + "x" * 60
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "kotoverkko.common",
    "kotoverkko.accounts",
    "kotoverkko.codelists",
    "kotoverkko.network",
    "kotoverkko.mailing",
    "kotoverkko.events",
    "kotoverkko.newsletter",
    "kotoverkko.search",
    "kotoverkko.library",
    "kotoverkko.tray",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kotoverkko.common.cache.AnonymousPageCacheMiddleware",
    "kotoverkko.common.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kotoverkko.conf.urls"
WSGI_APPLICATION = "kotoverkko.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kotoverkko.common.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in WAL mode under DATA_DIR unless DATABASE_URL says otherwise.
DATA_DIR.mkdir(parents=True, exist_ok=True)
_default_db = f"sqlite:///{DATA_DIR / 'kotoverkko.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_SQLITE_NAME") or None}
# Connections are kept between requests (each web process holds its own).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "network:dashboard"
LOGOUT_REDIRECT_URL = "network:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: failures per address and per client within the window.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))

# Languages: Finnish first, then Swedish and English.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Helsinki"
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_LANGUAGES = ("fi", "sv", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fi", "sv", "en"), "sv": ("fi", "en")}

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Uploads (slides, documents): the largest file, and limits on what a zip-based document may
# expand to (common/uploads.py checks every upload against them).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(25 * 1024 * 1024)))
# Reading a library document's text: a child process stopped after this time and memory.
LIBRARY_EXTRACTION_SECONDS = float(os.environ.get("LIBRARY_EXTRACTION_SECONDS", "60"))
LIBRARY_EXTRACTION_MEMORY_MB = int(os.environ.get("LIBRARY_EXTRACTION_MEMORY_MB", "768"))
UPLOAD_MAX_EXPANDED_BYTES = 200 * 1024 * 1024
UPLOAD_MAX_ENTRIES = 5000
UPLOAD_MAX_RATIO = 200
# Registrations to events per client address and window; 0 turns the limit off.
EVENT_REGISTRATION_LIMIT = int(os.environ.get("EVENT_REGISTRATION_LIMIT", "30"))
EVENT_REGISTRATION_WINDOW_SECONDS = int(os.environ.get("EVENT_REGISTRATION_WINDOW_SECONDS", "600"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEVELOPMENT or TESTING
WHITENOISE_AUTOREFRESH = False
if TESTING or DEVELOPMENT:
    # Without hashed names, pages work even before collectstatic has run.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Caches: per-process memory by default, Redis when REDIS_URL is set.
if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))

# Background tasks: the database backend by default, RQ on Redis to scale out.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if TESTING else "database")
_task_backends = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "dummy": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
}
TASKS = {"default": _task_backends[TASKS_BACKEND]}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}

# E-mail: every message goes through the outbox, then over SMTP.
# Without a mail server, development keeps messages in the outbox page only.
_default_email_backend = (
    "kotoverkko.mailing.backends.OutboxOnlyBackend"
    if DEVELOPMENT and not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", _default_email_backend)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kotoverkko <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "100"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
# A message still "sending" this long after a worker claimed it was left by a crashed worker.
OUTBOX_CLAIM_TIMEOUT_SECONDS = int(os.environ.get("OUTBOX_CLAIM_TIMEOUT_SECONDS", "600"))
# Messages per second one worker sends at most (0: as fast as the server takes them).
OUTBOX_RATE_PER_SECOND = float(os.environ.get("OUTBOX_RATE_PER_SECOND", "0"))
# The domain of the per-message bounce addresses (bounce+…@) and the mailto unsubscribe
# address (unsubscribe+…@); the mail server hands mail for them to `kotoverkko mail_receive`.
MAIL_DOMAIN = os.environ.get(
    "MAIL_DOMAIN", DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].rstrip(">").strip() or "localhost"
)
# Hard bounces after which an address gets no list mail at all.
MAIL_HARD_BOUNCE_LIMIT = int(os.environ.get("MAIL_HARD_BOUNCE_LIMIT", "3"))
# Shared secret of the HTTP endpoint for incoming bounces; empty turns the endpoint off.
MAIL_INBOUND_TOKEN = os.environ.get("MAIL_INBOUND_TOKEN", "")
# Subscription requests one client address may make per window.
SUBSCRIBE_LIMIT = int(os.environ.get("SUBSCRIBE_LIMIT", "10"))
SUBSCRIBE_WINDOW_SECONDS = int(os.environ.get("SUBSCRIBE_WINDOW_SECONDS", "3600"))
# Search: how many of the newest matches of a query are ranked at most, so that a very common
# word cannot make a query slow.
SEARCH_CANDIDATE_LIMIT = int(os.environ.get("SEARCH_CANDIDATE_LIMIT", "500"))
# The day of the month on which each network's bulletin draft is compiled.
NEWSLETTER_COMPILE_DAY = int(os.environ.get("NEWSLETTER_COMPILE_DAY", "1"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "600/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kotoverkko API",
    "DESCRIPTION": (
        "Networks, teams, organisations, people and memberships; events, their agendas and "
        "registrations; public events in the shape of Helsinki's Linked Events API."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {"LanguageEnum": "kotoverkko.network.models.LANGUAGE_CHOICES"},
}

# Security: safe by default; plain-HTTP development turns the HTTPS parts off.
HTTPS = env_bool("HTTPS", not (DEVELOPMENT or TESTING))
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
# How many reverse proxies stand in front of the site: client addresses (login throttling,
# registration limits) are then read from X-Forwarded-For (common/clients.py).
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))

LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if (DEVELOPMENT or TESTING) else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "kotoverkko": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        # The bounce detectors log each attempt at INFO.
        "flufl.bounce": {"level": "WARNING"},
    },
}
