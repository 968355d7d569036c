"""The public quality label of a page: "Getoetst aan kwaliteitskader v1.0 op 29 november 2026"."""

import datetime

from django.utils import formats, timezone, translation

from wagtail.models import Page

from quality.models import QualityAssessment


def dutch_date(day: datetime.date) -> str:
    """A date as Dutch text, e.g. "29 november 2026", whatever language is active."""
    with translation.override("nl"):
        return formats.date_format(day, "j F Y")


def live_assessment(page: Page) -> QualityAssessment | None:
    """The latest passing assessment of the page's live revision (one query), or None."""
    if not page.live or not page.live_revision_id:
        return None
    return (
        QualityAssessment.objects.filter(revision_id=page.live_revision_id, passed=True)
        .select_related("framework_version")
        .order_by("-created_at", "-pk")
        .first()
    )


def label_text(assessment: QualityAssessment) -> str:
    """The label's text for an assessment."""
    day = timezone.localtime(assessment.created_at).date()
    return (
        f"Getoetst aan kwaliteitskader v{assessment.framework_version.version} op {dutch_date(day)}"
    )


def quality_label(page: Page) -> str | None:
    """The quality label of the page's live revision, or None when it has none."""
    assessment = live_assessment(page)
    return label_text(assessment) if assessment else None
