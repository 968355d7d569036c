"""Development lines (ontwikkellijnen) and their milestones."""

from django.conf import settings
from django.db import models

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from products.choices import DevelopmentLineStatus, MilestoneStatus
from products.validators import validate_quarter
from quality.pages import GovernedPage
from quality.panels import QualityPanel


class DevelopmentLineIndexPage(Page):
    """The overview of all development lines (ontwikkellijnen)."""

    intro = models.TextField(
        "introductie",
        blank=True,
        help_text="Wat een ontwikkellijn is en hoe de lijnen samen de sociale infrastructuur vormen.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.DevelopmentLinePage"]
    max_count = 1

    class Meta:
        verbose_name = "overzicht ontwikkellijnen"
        verbose_name_plural = "overzichten ontwikkellijnen"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from products.selectors import development_line_index_context

        context.update(development_line_index_context(self, request=request))
        return context


class DevelopmentLinePage(GovernedPage):
    """A coherent line of products, e.g. arbeidsmarktfunctionaliteiten or governance."""

    summary = models.TextField(
        "samenvatting",
        blank=True,
        help_text="Eén of twee zinnen: waar gaat deze lijn over?",
    )
    goal = RichTextField(
        "doel",
        blank=True,
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
        help_text="Wat levert deze lijn op, en wanneer is zij 'landelijk toegepast'?",
    )
    lead = models.CharField(
        "trekker",
        max_length=200,
        blank=True,
        help_text="Wie trekt de lijn, met organisatie, bijvoorbeeld 'Marieke de Vries (Divosa)'.",
    )
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="trekker in hubcms",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_development_lines",
    )
    status = models.CharField(
        "status",
        max_length=30,
        choices=DevelopmentLineStatus.choices,
        default=DevelopmentLineStatus.GEPLAND,
        db_index=True,
    )

    content_panels = (
        [QualityPanel()]
        + Page.content_panels
        + [
            FieldPanel("summary"),
            FieldPanel("goal"),
            FieldRowPanel([FieldPanel("lead"), FieldPanel("lead_user")]),
            FieldPanel("status"),
            InlinePanel("milestones", label="Mijlpaal", heading="Mijlpalen"),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=3),
        index.SearchField("goal"),
        index.FilterField("status"),
        index.AutocompleteField("title"),
    ]

    # Served by /api/v2/; the api app gives the computed and coded ones their serializers
    # (api/content_fields.py: serializers_by_model), so that the models never import the API layer.
    api_fields = [
        APIField("summary"),
        APIField("goal"),
        APIField("lead"),
        APIField("status"),
        APIField("milestones"),
        APIField("products"),
    ]

    parent_page_types = ["content.DevelopmentLineIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "ontwikkellijn"
        verbose_name_plural = "ontwikkellijnen"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from products.selectors import development_line_context

        context.update(development_line_context(self, request=request))
        return context


class Milestone(Orderable):
    """A milestone of a development line, planned in a quarter."""

    page = ParentalKey(DevelopmentLinePage, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("mijlpaal", max_length=200)
    planned_quarter = models.CharField(
        "gepland kwartaal",
        max_length=7,
        validators=[validate_quarter],
        help_text="Bijvoorbeeld 2026-Q3.",
    )
    status = models.CharField(
        "status", max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.GEPLAND
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("planned_quarter"), FieldPanel("status")]),
    ]
    # Serializers: api/content_fields.py (serializers_by_model).
    api_fields = [
        APIField("title"),
        APIField("planned_quarter"),
        APIField("status"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "mijlpaal"
        verbose_name_plural = "mijlpalen"
