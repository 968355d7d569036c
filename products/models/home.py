"""The site's root page."""

from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The hub's home page: what the hub is, its development lines and newest products."""

    intro = models.TextField(
        "introductie",
        blank=True,
        help_text="Twee of drie zinnen: wat de Innovatiehub doet en voor wie.",
    )
    body = RichTextField(
        "toelichting",
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ul", "ol"],
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    api_fields = [APIField("intro"), APIField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.ProductLibraryPage",
        "content.DevelopmentLineIndexPage",
        "content.InnovationAgendaPage",
        "content.InformationPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "homepagina"
        verbose_name_plural = "homepagina's"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from products.selectors import home_page_context

        context.update(home_page_context(self, request=request))
        return context
