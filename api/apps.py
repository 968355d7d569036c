"""The api app: the product-library API and Wagtail's content API (/api/v2/)."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The page types name their API fields; the API layer owns how they are serialized.
        from api.content_fields import attach_serializers

        attach_serializers()
