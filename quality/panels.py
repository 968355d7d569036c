"""The editor panel: every criterion that applies to the page, met or not, with what to fix."""

from typing import Any

from wagtail.admin.panels import Panel

from quality.gate import framework_in_force
from quality.selectors import page_quality_overview


class QualityPanel(Panel):
    """Shows the quality framework's verdict on the page as it was last saved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("heading", "Kwaliteitskader")
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "quality/panels/quality_panel.html"

        def get_context_data(self, parent_context: Any = None) -> Any:
            context = super().get_context_data(parent_context)
            version = framework_in_force()
            context["version"] = version
            context["overview"] = page_quality_overview(page=self.instance, version=version)
            return context
