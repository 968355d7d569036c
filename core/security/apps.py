"""The security app: two-factor admin login, throttling, upload checks, CSP and /healthz."""

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "core.security"
    label = "security"
    verbose_name = "Beveiliging"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, pre_save

        from . import task_retries  # noqa: F401  (connects the retry handler)
        from .duties import guard_membership, guard_user_save

        User = get_user_model()
        m2m_changed.connect(guard_membership, sender=User.groups.through)
        pre_save.connect(guard_user_save, sender=User)
