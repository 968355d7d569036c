"""The search app: product index, synonyms, analytics and the library search page."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "hubsearch"
    verbose_name = "Zoeken"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from products.models import ProductLibraryPage
        from search import checks, signal_handlers  # noqa: F401 - register the check, receivers
        from search.library import library_input_error, library_page_context

        # The product library page searches through this app; the page model does not import it.
        ProductLibraryPage.search_input_error = staticmethod(library_input_error)
        ProductLibraryPage.search_context = staticmethod(library_page_context)
