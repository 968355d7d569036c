"""The security app: two-factor admin login, throttling, upload checks, CSP and /healthz."""

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "hubcms.security"
    label = "security"
    verbose_name = "Beveiliging"

    def ready(self) -> None:
        from . import task_retries  # noqa: F401  (connects the retry handler)
