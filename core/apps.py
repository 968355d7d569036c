"""The core app: roles, bootstrap, mail, rate limits, the scheduler and the hub-wide commands."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = "Kern"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import admin_fields

        admin_fields.register()
