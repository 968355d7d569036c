"""Test settings: fast hashing, in-memory cache and e-mail, immediate tasks."""

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "test-only-key-test-only-key-test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Tests send many requests from one client; the rate-limit tests lower these with override_settings.
HUBCMS_RATE_LIMITS = {
    "search": (100_000, 60),
    "api-read": (100_000, 60),
    "suggestions": (100_000, 60),
}
# With a search engine (SEARCH_URL set), tests use indexes of this session's own, removed at the
# end (conftest.py), and every single write is visible to the next search at once.
SEARCH_INDEX_PREFIX = f"hubcms-test-{__import__('os').getpid()}-{__import__('time').time_ns()}"
SEARCH_REFRESH = True
