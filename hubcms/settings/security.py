"""Security settings shared by every environment: CSP, 2FA, login throttling, sessions, uploads,
the shared cache and background tasks. Imported at the end of `base.py`; `production.py` tightens.

Every value comes from the environment with a safe default (see the README's production section).
"""

import os

from csp.constants import NONE, SELF

from .base import env_bool, env_list

# Content Security Policy (django-csp 4). The public website runs without any inline script or
# style. The Wagtail admin renders inline <script> blocks (inline panels, date pickers) and style
# attributes, so `core.security.csp.HubCSPMiddleware` adds 'unsafe-inline' for /admin/ only.
CSP_EXTRA_IMG_SRC = env_list("CSP_EXTRA_IMG_SRC")  # e.g. the S3 media domain
CSP_EXTRA_FRAME_SRC = env_list("CSP_EXTRA_FRAME_SRC")  # e.g. a video host for embeds
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *CSP_EXTRA_IMG_SRC],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF, *CSP_EXTRA_IMG_SRC],
        "frame-src": [SELF, *CSP_EXTRA_FRAME_SRC],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# What the Wagtail admin needs on top of the public policy (why: see core/security/csp.py).
HUBCMS_ADMIN_CSP_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
    "frame-ancestors": [SELF],
}
HUBCMS_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No avatars from gravatar.com: no personal data to a third party, no external images in the CSP.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Two-factor authentication for the admin (django-otp, TOTP). Production forces it on.
HUBCMS_REQUIRE_2FA = env_bool("HUBCMS_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Innovatiehub Sociale Infrastructuur"
OTP_TOTP_THROTTLE_FACTOR = 1

# Rate limits and login throttling count per client address. Behind a load balancer, set the number
# of proxies that append to X-Forwarded-For (core/ratelimit.py); 0 trusts only REMOTE_ADDR.
HUBCMS_TRUSTED_PROXY_COUNT = int(os.environ.get("HUBCMS_TRUSTED_PROXY_COUNT", "0"))

# Login throttling on every login path by django-axes (core/security/login_throttling.py): a lock
# holds one user name from one address (nobody locks out a colleague by guessing their name), ends
# after the cool-off, and a correct sign-in clears it. `manage.py axes_reset` lifts every lock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("HUBCMS_LOGIN_FAILURES_PER_ACCOUNT", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("HUBCMS_LOGIN_LOCKOUT_SECONDS", "900")) / 3600  # hours
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # retrying does not prolong a lock
AXES_HANDLER = "core.security.login_throttling.HubAxesHandler"
AXES_CLIENT_IP_CALLABLE = "core.security.login_throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "core.security.login_throttling.lockout_response"
AXES_VERBOSE = False
# Failed attempts (with the address) are cleaned up once their cool-off has passed; successful
# sign-ins are not logged with their address at all (privacy).
AXES_DISABLE_ACCESS_LOG = True
# One address failing for many user names (password spraying) is slowed as well.
HUBCMS_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("HUBCMS_LOGIN_FAILURES_PER_ADDRESS", "50"))

# Sessions: an idle admin session ends after SESSION_IDLE_SECONDS (sliding); without "remember me"
# it also ends when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(2 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Uploads: checked by content in core/security/uploads.py, through Wagtail's own forms.
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.security.upload_forms.SafeImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.security.upload_forms.SafeDocumentForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Documents are always served through Wagtail's view (privacy checks), always as a download, with
# a content type fixed per allowed extension.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "zip": "application/zip",
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# The cache holds rate-limit counters; several app servers must share it.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

# Background tasks (django-tasks). Dev runs them in-process; production uses the database backend
# with `manage.py db_worker`. Failed tasks are retried and logged by core/security/task_retries.py.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
HUBCMS_TASK_MAX_ATTEMPTS = int(os.environ.get("HUBCMS_TASK_MAX_ATTEMPTS", "3"))
HUBCMS_TASK_RETRY_DELAY_SECONDS = int(os.environ.get("HUBCMS_TASK_RETRY_DELAY_SECONDS", "30"))
