"""The integrated innovation agenda (innovatieagenda) and its priorities."""

from django import forms
from django.db import models

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from products.choices import PriorityStatus
from products.validators import validate_quarter
from quality.pages import GovernedPage
from quality.panels import QualityPanel


class InnovationAgendaPage(GovernedPage):
    """The innovation agenda for a period, e.g. 2026-2027, with its priorities."""

    period_start = models.PositiveSmallIntegerField("van (jaar)", default=2026)
    period_end = models.PositiveSmallIntegerField("tot en met (jaar)", default=2027)
    intro = RichTextField(
        "introductie",
        blank=True,
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
        help_text="Hoe de agenda tot stand kwam en hoe erop gestuurd wordt.",
    )

    content_panels = (
        [QualityPanel()]
        + Page.content_panels
        + [
            FieldRowPanel(
                [FieldPanel("period_start"), FieldPanel("period_end")], heading="Periode"
            ),
            FieldPanel("intro"),
            InlinePanel("priorities", label="Prioriteit", heading="Prioriteiten"),
        ]
    )

    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [
        APIField("period_start"),
        APIField("period_end"),
        APIField("intro"),
        APIField("priorities"),
    ]

    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "innovatieagenda"
        verbose_name_plural = "innovatieagenda's"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from products.selectors import agenda_context

        context.update(agenda_context(self, request=request))
        return context

    @property
    def period(self) -> str:
        return f"{self.period_start}-{self.period_end}"

    def clean(self) -> None:
        super().clean()
        if self.period_end and self.period_start and self.period_end < self.period_start:
            from django.core.exceptions import ValidationError

            raise ValidationError({"period_end": "Het eindjaar ligt vóór het beginjaar."})


class AgendaPriority(Orderable, ClusterableModel):
    """A priority of the agenda: who owns it, when it is due and how it is steered."""

    page = ParentalKey(InnovationAgendaPage, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField("prioriteit", max_length=200)
    description = models.TextField("omschrijving", blank=True)
    owner = models.CharField(
        "eigenaar", max_length=200, help_text="Persoon en organisatie die de prioriteit trekt."
    )
    planned_quarter = models.CharField(
        "gepland kwartaal",
        max_length=7,
        validators=[validate_quarter],
        help_text="Bijvoorbeeld 2026-Q3.",
    )
    status = models.CharField(
        "status", max_length=20, choices=PriorityStatus.choices, default=PriorityStatus.GEPLAND
    )
    development_lines = ParentalManyToManyField(
        "content.DevelopmentLinePage",
        verbose_name="ontwikkellijnen",
        blank=True,
        related_name="agenda_priorities",
    )
    steering_mechanism = models.TextField(
        "sturingsmechanisme",
        blank=True,
        help_text="Hoe wordt hierop gestuurd: welk overleg besluit, met welke indicator, hoe vaak?",
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("planned_quarter"), FieldPanel("status")]),
        FieldPanel("development_lines", widget=forms.CheckboxSelectMultiple),
        FieldPanel("steering_mechanism"),
    ]
    # Served by /api/v2/; the api app gives the computed and coded ones their serializers
    # (api/content_fields.py: serializers_by_model), so that the models never import the API layer.
    api_fields = [
        APIField("title"),
        APIField("description"),
        APIField("owner"),
        APIField("planned_quarter"),
        APIField("status"),
        APIField("development_lines"),
        APIField("steering_mechanism"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "prioriteit"
        verbose_name_plural = "prioriteiten"
