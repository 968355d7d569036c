from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    label = "operations"
    verbose_name = "Bedrijfsvoering van de hub"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the automatic criteria of framework 1.1 in the quality check registry.
        from operations import quality_checks  # noqa: F401
