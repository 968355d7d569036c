from django.apps import AppConfig


class HubcmsConfig(AppConfig):
    name = "hubcms"
    verbose_name = "hubcms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The HTTP-cache purge handlers must listen in every process that can publish: the web
        # server, the task worker, the scheduler and management commands alike.
        from hubcms import website_cache  # noqa: F401
