from django.apps import AppConfig


class HubcmsConfig(AppConfig):
    name = "hubcms"
    verbose_name = "hubcms"
    default_auto_field = "django.db.models.BigAutoField"
