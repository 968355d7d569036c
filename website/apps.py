"""The website app: the public pages' views, HTTP caching, product cards and template tags."""

from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "website"
    label = "website"
    verbose_name = "Website"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The HTTP-cache purge handlers must listen in every process that can publish: the web
        # server, the task worker, the scheduler and management commands alike.
        from website import cache  # noqa: F401
