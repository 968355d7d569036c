"""Production settings: everything from the environment, secure by default.

`python manage.py check --deploy` passes without a warning under the variables in `.env.example`
(core/tests/production/test_settings.py runs it).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list, require_secret_key

DEBUG = False
require_secret_key()

# TLS ends at the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The container health check talks plain HTTP to the app itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views lift this to SAMEORIGIN themselves

# Every admin user signs in with a second factor; not configurable here on purpose.
HUBCMS_REQUIRE_2FA = True

# Static files: collected into the image and served by whitenoise with far-future headers.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "exports": EXPORTS_STORAGE,  # noqa: F405
}
# Media on S3-compatible storage when MEDIA_STORAGE=s3 (several app servers share it), else disk.
if os.environ.get("MEDIA_STORAGE", "disk") == "s3":  # noqa: F405
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],  # noqa: F405
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # noqa: F405
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,  # noqa: F405
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,  # noqa: F405
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "max-age=86400"},
        },
    }

# Report exports: the exports volume (HUBCMS_EXPORTS_ROOT), or with several hosts a bucket of their own
# without public access (HUBCMS_EXPORTS_STORAGE=s3); the admin's download view streams them.
if os.environ.get("HUBCMS_EXPORTS_STORAGE", "disk") == "s3":  # noqa: F405
    STORAGES["exports"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["HUBCMS_EXPORTS_BUCKET"],  # noqa: F405
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # noqa: F405
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,  # noqa: F405
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Several app servers share one cache (rate limits, login throttling, sessions' helpers): Redis.
# The database is no cache: it is what a load peak already waits for.
if not os.environ.get("REDIS_URL"):  # noqa: F405
    raise ImproperlyConfigured(
        "REDIS_URL is required in production: the app servers share their cache in Redis "
        "(docker-compose.yml's `cache` service)."
    )

# Background work runs in `manage.py db_worker` (the worker service in docker-compose.yml).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(  # noqa: F405
            "TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        )
    }
}

ADMINS = [("Beheer", address) for address in env_list("ADMIN_EMAILS")]
SERVER_EMAIL = DEFAULT_FROM_EMAIL  # noqa: F405

# Every e-mail (workflow notifications, signals, error mails) goes through the task queue and is
# delivered by the worker with HUBCMS_EMAIL_DELIVERY_BACKEND, with retries.
EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")  # noqa: F405
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))  # noqa: F405
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")  # noqa: F405
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")  # noqa: F405
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
