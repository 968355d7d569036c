"""Development settings: debug on, console e-mail, a fixed key that never reaches production."""

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# `make run` serves on 127.0.0.1:8000, which the bootstrap Site (localhost:80) does not name.
WAGTAILAPI_BASE_URL = os.environ.get("WAGTAILAPI_BASE_URL") or WAGTAILADMIN_BASE_URL  # noqa: F405
EMAIL_BACKEND = os.environ.get(  # noqa: F405
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
