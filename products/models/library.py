"""The product library (productbibliotheek): the parent of every product and the search page."""

from collections.abc import Callable
from typing import ClassVar

from django.db import models
from django.http import HttpRequest
from django.template.response import TemplateResponse

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page

from core.ratelimit import allow_scope


class ProductLibraryPage(Page):
    """The product library (productbibliotheek): the parent of every product, and its search page."""

    intro = models.TextField(
        "introductie",
        blank=True,
        help_text="Eén alinea boven de zoekresultaten: wat de bezoeker hier vindt.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]

    # The website attaches how this page searches (website/apps.py), so that the page model does
    # not import the layers above it: what is wrong with the search in the URL, and the context.
    search_input_error: ClassVar[Callable[[HttpRequest], str | None]]
    search_context: ClassVar[Callable[..., dict]]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ProductPage"]
    max_count = 1

    class Meta:
        verbose_name = "productbibliotheek"
        verbose_name_plural = "productbibliotheken"

    def serve(self, request, *args, **kwargs):
        if request.GET.get("q") and not allow_scope(request, "search"):
            response = TemplateResponse(
                request, "search/too_many_searches.html", {"page": self}, status=429
            )
            response["Retry-After"] = "60"
            return response
        error = self.search_input_error(request)
        if error:
            return TemplateResponse(request, "400.html", {"detail": error}, status=400)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.search_context(request, library=self))
        return context
