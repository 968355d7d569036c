"""Template tags of the quality framework for the public website."""

from django import template

from wagtail.models import Page

from quality.labels import label_text, live_assessment

register = template.Library()


@register.inclusion_tag("quality/includes/quality_label_tag.html")
def quality_label_for(page: Page | None) -> dict[str, str | None]:
    """Render the quality label of `page` (one query), or nothing."""
    assessment = live_assessment(page) if page is not None else None
    return {"label": label_text(assessment) if assessment else None}
