"""Base settings for hubcms: safe for production, driven by environment variables."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "products",
    "quality",
    "operations",
    "search",
    "core",
    "core.security",
    "core.exports",
    "api",
    "website",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "core.security.users_app.HubUsersAppConfig",  # wagtail.users with separation of duties
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "ninja",  # serves the API's Swagger UI from its own static files, not from a CDN
    "modelcluster",
    "taggit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "corsheaders",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First, as django-cors-headers asks: CORS headers on every API response, preflights answered.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The two APIs: rate limits, problem+json, Cache-Control, ETag and 304 (api/http.py).
    "api.http.APIMiddleware",
    "website.cache.SharedCacheHeadersMiddleware",
    "core.security.csp.HubCSPMiddleware",
    "core.security.unavailable.DatabaseUnavailableMiddleware",
    "core.security.bad_input.BadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.security.twofactor.RequireAdminTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "quality.middleware.WorkflowActionConfirmationMiddleware",
    "core.exports.middleware.BackgroundReportExportMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a lockout on any login path into the Dutch 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hubcms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "hubcms.wsgi.application"

# DATABASE_URL selects the database; without it an SQLite file in the project folder is used.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}


def database_timeout_options(
    config: dict, *, connect_seconds: int, statement_seconds: float
) -> dict:
    """The database's OPTIONS with a connect timeout and, on PostgreSQL, a statement timeout (0:
    none); SQLite waits at most `connect_seconds` for a lock. What the URL sets is kept."""
    options = dict(config.get("OPTIONS", {}))
    engine = config.get("ENGINE", "")
    if "postgresql" in engine:
        options.setdefault("connect_timeout", connect_seconds)
        server_options = options.get("options", "")
        if statement_seconds > 0 and "statement_timeout" not in server_options:
            setting = f"-c statement_timeout={int(statement_seconds * 1000)}"
            options["options"] = f"{server_options} {setting}".strip()
    elif "sqlite" in engine:
        options.setdefault("timeout", connect_seconds)
    return options


# A stalled database must not hold every worker: connecting gives up after
# DB_CONNECT_TIMEOUT_SECONDS and PostgreSQL cancels a statement after DB_STATEMENT_TIMEOUT_SECONDS;
# the visitor gets the Dutch 503 (core/security/unavailable.py). manage.py sets the statement
# timeout to 0 (none) unless given, so that migrate and update_index may run long statements.
DATABASES["default"]["OPTIONS"] = database_timeout_options(
    DATABASES["default"],
    connect_seconds=int(os.environ.get("DB_CONNECT_TIMEOUT_SECONDS", "5")),
    statement_seconds=float(os.environ.get("DB_STATEMENT_TIMEOUT_SECONDS", "8")),
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # NL Design System CSS, installed by `npm ci` (make install); only its dist folder is served.
    ("nlds/utrecht", BASE_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist"),
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Report exports (core/exports) are private: stored outside MEDIA_ROOT, never given a URL, served
# only to the user who asked for them, and removed after the retention period by `cleanup_exports`.
HUBCMS_EXPORTS_ROOT = Path(os.environ.get("HUBCMS_EXPORTS_ROOT", BASE_DIR / "private" / "exports"))
HUBCMS_EXPORTS_RETENTION_DAYS = int(os.environ.get("HUBCMS_EXPORTS_RETENTION_DAYS", "7"))
EXPORTS_STORAGE = {"BACKEND": "core.exports.storage.PrivateExportStorage"}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": EXPORTS_STORAGE,
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Innovatiehub Sociale Infrastructuur"


def default_admin_base_url(hosts: list[str]) -> str:
    """The address that mails link to when WAGTAILADMIN_BASE_URL is unset: the first configured
    ALLOWED_HOSTS entry over HTTPS; a local host means `make run` on 127.0.0.1:8000."""
    host = next((h.lstrip(".") for h in hosts if h and h != "*"), "127.0.0.1")
    if host in ("localhost", "127.0.0.1", "[::1]"):
        return "http://127.0.0.1:8000"
    return f"https://{host}"


WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or default_admin_base_url(
    ALLOWED_HOSTS
)
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands")]
WAGTAILADMIN_USER_LOGIN_FORM = "core.security.forms.DutchLoginForm"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Workflow approval publishes only what the quality gate lets through (docs/quality-gate.md).
WAGTAIL_FINISH_WORKFLOW_ACTION = "quality.finish.publish_if_the_gate_passes"
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "odp", "txt", "xlsx", "ods", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Unset, /api/v2/'s absolute URLs (detail_url) come from the Wagtail Site that answers the
# request (Instellingen > Sites: hostname and port), not from a fixed host (docs/absolute-urls.md).
WAGTAILAPI_BASE_URL = os.environ.get("WAGTAILAPI_BASE_URL") or None

# The shared HTTP cache in front of the app servers (Varnish, tools/varnish/hubcms.vcl). With
# VARNISH_URL set, every change that shows on the website purges it (website/cache.py).
VARNISH_URL = os.environ.get("VARNISH_URL", "")
if VARNISH_URL:
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "website.cache.VarnishBackend",
            "LOCATION": VARNISH_URL,
        }
    }
# How long the shared cache may keep an anonymous page when no purge comes (browsers: 0).
HUBCMS_SHARED_CACHE_SECONDS = int(os.environ.get("HUBCMS_SHARED_CACHE_SECONDS", "3600"))
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "hubcms@innovatiehub.example"
)
DEFAULT_FROM_EMAIL = WAGTAILADMIN_NOTIFICATION_FROM_EMAIL

# The product library's search engine (search/opensearch/): SEARCH_URL is an OpenSearch 2 node
# or cluster (SEARCH_CLIENT=elasticsearch for an Elasticsearch 8 one); ELASTICSEARCH_URL alone
# is read as Elasticsearch 8. Unset: the database searches (SQLite FTS5 or PostgreSQL).
SEARCH_URL = os.environ.get("SEARCH_URL", "")
SEARCH_CLIENT = os.environ.get("SEARCH_CLIENT", "opensearch")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "hubcms")
SEARCH_TIMEOUT = float(os.environ.get("SEARCH_TIMEOUT", "5"))
# The engine's shard request cache for the library's searches: a repeated search (the library's
# landing page above all) is answered from it until the index next changes. Off only to measure
# the engine itself (bench/opensearch_bench.py).
SEARCH_REQUEST_CACHE = os.environ.get("SEARCH_REQUEST_CACHE", "1") != "0"
# Wagtail's own (admin) search: the backend follows the database; ELASTICSEARCH_URL switches it
# to Elasticsearch.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": os.environ.get("ELASTICSEARCH_INDEX", "hubcms"),
            "TIMEOUT": 10,
            "AUTO_UPDATE": True,
            # Every text field without an analyzer of its own is analysed as Dutch.
            "INDEX_SETTINGS": {
                "settings": {
                    "analysis": {
                        "analyzer": {
                            "default": {"type": "dutch"},
                            "default_search": {"type": "dutch"},
                        }
                    }
                }
            },
        }
    }
else:
    # Wagtail's database backend, adapted in search/backends/database.py: Dutch stems on SQLite.
    # The public library search uses search/engines.py.
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.database",
            "SEARCH_CONFIG": "dutch",
            "AUTO_UPDATE": True,
        }
    }

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The backend that actually delivers, used by the queued backend (core/mail.py) in production.
HUBCMS_EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}


def require_secret_key() -> None:
    """Refuse to start a production process without a real SECRET_KEY."""
    if not SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be set to at least 32 random characters.")


TAGGIT_CASE_INSENSITIVE = True

# Security (core/security): CSP, 2FA, login throttling, sessions, uploads, cache and tasks.
from .security import *  # noqa: E402,F401,F403

# Rate limits for public endpoints that take input: scope -> (requests, window in seconds) per
# client. The signal form and the signal POST keep their own, stricter limits.
HUBCMS_RATE_LIMITS = {
    "search": (int(os.environ.get("HUBCMS_SEARCH_RATE_LIMIT", "120")), 60),
    "api-read": (int(os.environ.get("HUBCMS_API_RATE_LIMIT", "300")), 60),
    "suggestions": (int(os.environ.get("HUBCMS_SUGGESTIONS_RATE_LIMIT", "240")), 60),
}
# Cross-origin reading of the two public APIs (django-cors-headers), and nothing else of the site.
# API_CORS_ALLOWED_ORIGINS: "*" (the default: the APIs are public and use no cookies) or a
# comma-separated list of origins such as https://www.gemeente.nl.
CORS_URLS_REGEX = r"^/api/(v2|productbibliotheek)/"
API_CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS", "*")
CORS_ALLOW_ALL_ORIGINS = API_CORS_ALLOWED_ORIGINS == ["*"]
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else API_CORS_ALLOWED_ORIGINS
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match")
CORS_EXPOSE_HEADERS = ("API-Version", "ETag")
CORS_PREFLIGHT_MAX_AGE = 86400
# Dutch error pages, and problem+json on the API paths (core/security/errors.py).
CSRF_FAILURE_VIEW = "core.security.errors.csrf_failure"
