from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "content.operations"
    label = "operations"
    verbose_name = "Bedrijfsvoering van de hub"
    default_auto_field = "django.db.models.BigAutoField"
