from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "quality"
    label = "quality"
    verbose_name = "Kwaliteitskader"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register hubcms's own automatic checks and connect the gate's model-level guards
        # (the backstop on the live revision is connected where GovernedPage is defined).
        from quality import gate, pages, workflow  # noqa: F401
        from quality.checks import load_builtin_checks

        load_builtin_checks()
        gate.connect_media_guards()
