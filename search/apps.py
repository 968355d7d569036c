"""The search app: product index, synonyms, analytics, and the search the website and API call."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "hubsearch"
    verbose_name = "Zoeken"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from search import checks, signal_handlers  # noqa: F401 - register the check, receivers
