"""The products app: page types, StreamField blocks, taxonomy, product import/export and demo data."""

from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "products"
    # The label predates the move to one app per domain; tables and content types keep it.
    label = "content"
    verbose_name = "Inhoud"
    default_auto_field = "django.db.models.BigAutoField"
