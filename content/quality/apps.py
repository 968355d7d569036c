from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "content.quality"
    label = "quality"
    verbose_name = "Kwaliteitskader"
    default_auto_field = "django.db.models.BigAutoField"
