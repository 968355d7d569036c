"""Plain information pages: the accessibility statement, about the hub, privacy."""

from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class InformationPage(Page):
    """A page of text, such as the accessibility statement (toegankelijkheidsverklaring)."""

    intro = models.TextField("introductie", blank=True)
    body = RichTextField(
        "tekst",
        blank=True,
        features=["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"],
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    parent_page_types = ["content.HomePage", "content.InformationPage"]
    subpage_types = ["content.InformationPage"]

    class Meta:
        verbose_name = "informatiepagina"
        verbose_name_plural = "informatiepagina's"
