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
        from products.models import ProductLibraryPage
        from website import cache  # noqa: F401
        from website.library import library_input_error, library_page_context

        # The product library page's search page; the page model does not import the website.
        ProductLibraryPage.search_input_error = staticmethod(library_input_error)
        ProductLibraryPage.search_context = staticmethod(library_page_context)
