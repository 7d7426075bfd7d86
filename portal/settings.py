"""Settings for the fire-governance proposals portal, read from the environment in one place.

With nothing set the portal runs on the embedded default: a SQLite file and Celery's filesystem
broker under var/, e-mail written to var/mail/. DATABASE_URL, REDIS_URL and EMAIL_URL switch to
real services. `.env.example` lists every variable; the README explains each one.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# A local .env file, for development. The container image sets PORTAL_ENV_FILE empty, so
# there settings come from the environment alone (and .dockerignore keeps .env* out anyway).
ENV_FILE = env.str("PORTAL_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE)

# Where the embedded default keeps its SQLite file, broker queue, mail and uploads.
VAR_DIR = Path(env.str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Only ever used with debug on: production refuses to start without its own key.
_DEBUG_ONLY_SECRET_KEY = "insecure-debug-only-key-never-used-when-debug-is-off"
#: How placeholders start (.env.example's, Django's startproject one): never a real secret.
PLACEHOLDER_SECRET_KEY_STARTS = ("change-me", "django-insecure")
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Set DJANGO_DEBUG=true for local development."
        )
    SECRET_KEY = _DEBUG_ONLY_SECRET_KEY
elif not DEBUG and SECRET_KEY.startswith(PLACEHOLDER_SECRET_KEY_STARTS):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is a placeholder: set a long random key, e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "portal",
    "proposals",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id.
    "portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.NoStoreWhenSignedInMiddleware",
    "portal.middleware.SessionLifetimeMiddleware",
    "portal.middleware.OTPMiddleware",
    "portal.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "proposals.context_processors.notifications",
            ],
        },
    },
]

# Django's form templates; its bound fields made to write valid HTML (portal/form_renderer.py).
FORM_RENDERER = "portal.form_renderer.FormRenderer"

# --- Data -------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Each web thread keeps its connection between requests, checked before it is reused: opening
# one starts a PostgreSQL process, which cost a simple page more than all its own work did.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer is reported (/healthz, an error page) within this time,
    # rather than holding a web thread until the operating system gives up.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # Web, worker and beat share one file: wait for locks rather than fail, and let readers
    # carry on while one process writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account and address are refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # With Redis, the signed-in person is read from it (no query per request): portal/backends.py.
    "portal.backends.CachedModelBackend"
    if env.str("REDIS_URL", default="")
    else "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Demo users' password for `seed_demo`. The default only applies with debug on.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")

# --- Locale: en-GB, Europe/London, GOV.UK dates ("1 October 2017") ----------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]

# --- Static files and uploads -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents live outside the web root and are only served by a permission-checked view.
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "uploads")))
MB = 1024 * 1024
# The largest document people may upload; larger files are refused with a message.
DOCUMENT_MAX_MB = env.int("DOCUMENT_MAX_MB", default=20)
DOCUMENT_MAX_BYTES = DOCUMENT_MAX_MB * MB
# A request's form fields besides its files (Django's default, 2.5 MB: several of the longest
# texts); more is answered 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * MB // 2
# The largest request body: a document and its form. A bigger one is answered 413 before any of
# it is read (portal.uploads); nginx (docker-compose.yml) refuses the same.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_MB", default=DOCUMENT_MAX_MB + 3) * MB
FILE_UPLOAD_HANDLERS = [
    "portal.uploads.RequestBodyLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Forms: GOV.UK Design System through crispy-forms-gds --------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
GOVUK_FRONTEND_VERSION = (BASE_DIR / "static/govuk-frontend/VERSION").read_text().strip()
CRISPY_GDS_FRONTEND_VERSION = GOVUK_FRONTEND_VERSION

# --- E-mail -----------------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Fire governance proposals <noreply@localhost>"
)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Cache: dashboards' figures, shared by every web process through Redis when there is one --
CACHES = {
    "default": {
        "BACKEND": "portal.cache.RedisCache",
        "LOCATION": env.str("REDIS_URL"),
        # A portal of its own on a shared Redis (`make bench` uses one) sets its own prefix.
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
        # JSON, not pickle: dashboards cache their rendered parts (proposals/views/pages.py).
        # A cache that does not answer is skipped (figures computed directly) within 0.5 s.
        "OPTIONS": {
            "serializer": "portal.cache.JSONSerializer",
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
        },
    }
    if env.str("REDIS_URL", default="")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# Whether every process shares the cache (Redis). Only then are the values every page reads for
# the person signed in (their account, devices and unread count) kept in it: a change made in
# one process could not forget them in another's own cache (portal.cache.person_cached).
CACHE_SHARED = bool(env.str("REDIS_URL", default=""))
# Seconds a dashboard's figures may be reused at most; any recorded change refreshes them sooner.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)

# --- Celery: Redis when REDIS_URL is set, else the filesystem broker under var/ ---------------
CELERY_BROKER_URL = env.str("REDIS_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Seconds /healthz waits for the broker before calling it down.
HEALTHCHECK_BROKER_TIMEOUT = env.float("HEALTHCHECK_BROKER_TIMEOUT", default=2.0)

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# With Redis, a request reads its session there (no database query); see portal/sessions.py.
if env.str("REDIS_URL", default=""):
    SESSION_ENGINE = "portal.sessions"
# Sessions end after this many idle minutes. A request pushes the expiry back when the last
# push is SESSION_TOUCH_SECONDS old, so the session is not written on every request (a write
# that fails after a saved change must not turn the answer into an error).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_TOUCH_SECONDS = 5 * 60
# However active, a session ends this many hours after signing in.
SESSION_MAX_SECONDS = env.int("SESSION_MAX_HOURS", default=12) * 60 * 60
CSRF_COOKIE_HTTPONLY = True

# --- Sign-in protection -------------------------------------------------------------------------
# django-axes: lock an account and address after repeated failures; site admins unlock in admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Proxies in front of the portal that append to X-Forwarded-For (0: none, the header is ignored
# and the client is the connection's address). Axes and the security log read the same address.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "portal.security_log.client_address"
# Failed sign-ins to one account, from any address, slow its sign-in rather than lock it: after
# this many, each further attempt waits twice as long as the last, up to the longest wait.
SIGN_IN_DELAY_AFTER_FAILURES = env.int("SIGN_IN_DELAY_AFTER_FAILURES", default=3)
SIGN_IN_DELAY_MAX_SECONDS = env.int("SIGN_IN_DELAY_MAX_SECONDS", default=60)
# One-time passwords: required for the Home Office roles and anyone with admin powers (and for
# PCC people who enrol); on by default whenever debug is off, off for the embedded demo.
OTP_REQUIRED = env.bool("PORTAL_OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "Fire governance proposals"
# A site admin's enrolment link works once, for this many hours.
ENROLMENT_LINK_HOURS = env.int("ENROLMENT_LINK_HOURS", default=24)
# An authenticator app added but not confirmed with a code is forgotten after this many minutes.
ENROLMENT_DEVICE_MINUTES = 30
# Single-use recovery codes shown once at a person's first enrolment.
RECOVERY_CODE_COUNT = 10
# Admin never shows an authenticator's secret (its key or QR code).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Content-Security-Policy (django-csp): our own files only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO").upper()
_JSON_FIELDS = {
    "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # Every line names the request it belongs to ("-" outside one).
        "request_id": {"()": "portal.logs.RequestIdFilter"},
        # Calendar addresses carry their secret: portal.log_redaction keeps it out of every line.
        "redact_secrets": {"()": "portal.log_redaction.RedactSecretsFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        # One JSON object per line for the security log, so it can be searched and alerted on.
        "json": {"()": "pythonjsonlogger.json.JsonFormatter", **_JSON_FIELDS},
        # A failed request in one line: exception type and message, path, user; the traceback
        # only with DJANGO_LOG_LEVEL=DEBUG (an error-tracking handler still gets the record).
        "request": {
            "()": "portal.logs.RequestFormatter",
            "traceback": LOG_LEVEL == "DEBUG",
            **_JSON_FIELDS,
        },
    },
    "handlers": {
        name: {
            "class": "logging.StreamHandler",
            "formatter": name,
            "filters": ["request_id", "redact_secrets"],
        }
        for name in ("plain", "json", "request")
    },
    "root": {"handlers": ["plain"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["plain"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["request"], "level": LOG_LEVEL, "propagate": False},
        "django.security": {"handlers": ["request"], "level": LOG_LEVEL, "propagate": False},
        "portal.security": {"handlers": ["json"], "level": "INFO", "propagate": False},
        # Making a PDF: WeasyPrint and its font subsetter log every page and glyph.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Deadlines and reminders (proposals/reminders.py; DESIGN.md s.5) ---------------------------
# The daily 07:00 Europe/London scan is a django-celery-beat schedule (admin: Periodic tasks).
# Working days before a due date on which the PCC's people are reminded.
REMINDER_DAYS_BEFORE = env.list("REMINDER_DAYS_BEFORE", cast=int, default=[14, 7, 1])
# Calendar days between reminders while a stage is overdue or waits too long for review.
REMINDER_OVERDUE_EVERY_DAYS = env.int("REMINDER_OVERDUE_EVERY_DAYS", default=7)
# Working days a submitted stage may wait for the Home Office before reviewers are reminded.
REMINDER_REVIEW_TARGET_WORKING_DAYS = env.int("REMINDER_REVIEW_TARGET_WORKING_DAYS", default=10)
# Stages read per round trip by the scan's cursor.
REMINDER_SCAN_BATCH_SIZE = env.int("REMINDER_SCAN_BATCH_SIZE", default=2000)
# Reminders sent by one task, one after another (each still claimed and marked on its own).
REMINDER_SEND_BATCH_SIZE = env.int("REMINDER_SEND_BATCH_SIZE", default=200)
# A claimed send not finished within this many seconds is taken to have died and is sent again
# by the next scan. The send task is killed at half of it, and every mail-server operation
# times out after EMAIL_TIMEOUT, so a live send is never taken over.
REMINDER_SEND_LEASE_SECONDS = env.int("REMINDER_SEND_LEASE_SECONDS", default=600)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Retries of a send after a transient failure (mail server or database unavailable): an
# exponential backoff from the first delay up to the largest, with jitter.
REMINDER_SEND_MAX_RETRIES = env.int("REMINDER_SEND_MAX_RETRIES", default=8)
REMINDER_RETRY_BACKOFF_SECONDS = env.int("REMINDER_RETRY_BACKOFF_SECONDS", default=60)
REMINDER_RETRY_BACKOFF_MAX_SECONDS = env.int("REMINDER_RETRY_BACKOFF_MAX_SECONDS", default=1800)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Kombu keeps the filesystem broker's exchange bindings in a "control" folder, by default
    # in the working directory; with the queue under var/ instead, the checkout stays clean.
    CELERY_BROKER_TRANSPORT_OPTIONS["control_folder"] = str(VAR_DIR / "celery" / "control")
# The queue the portal's tasks go to (tests give their workers one of their own).
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
# With late acknowledgement each worker holds one task at a time, so a second worker shares
# the load and a task whose worker dies is not stuck behind others.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# --- The JSON API (proposals/api/; README "API") --------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # `Authorization: Bearer <token>` (portal/api_auth.py), else the browser's session.
        "portal.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["proposals.api.permissions.MayUseApi"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "proposals.api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": ["proposals.api.throttling.PerTokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "proposals.api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "proposals.api.errors.problem_exception_handler",
    # Money as "125000.00", never a float.
    "COERCE_DECIMAL_TO_STRING": True,
}
# Requests each API token (or signed-in person) may make, e.g. "600/min"; more answer 429.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Fire governance proposals API",
    "DESCRIPTION": (
        "Proposals by Police and Crime Commissioners to take on fire and rescue governance: "
        "PCCs, proposals and their stages, stage history, collaboration duties, the fund and "
        "allocations, and the audit events feed. The same permissions as the portal's pages. "
        "Errors are RFC 9457 problem details (application/problem+json)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Only signed-in people (session or API token) read the schema: it is the portal's, not public.
    "SERVE_PERMISSIONS": ["proposals.api.permissions.MayUseApi"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {"StepEnum": "proposals.api.schema.STEP_SLUGS"},
}
