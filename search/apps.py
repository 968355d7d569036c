"""The search app: product index, synonyms, analytics and the library search page."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "hubsearch"
    verbose_name = "Zoeken"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from search.signal_handlers import register_signal_handlers

        register_signal_handlers()
