"""The product library (productbibliotheek): the parent of every product and the search page."""

from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page


class ProductLibraryPage(Page):
    """The product library (productbibliotheek): the parent of every product, and its search page."""

    intro = models.TextField(
        "introductie",
        blank=True,
        help_text="Eén alinea boven de zoekresultaten: wat de bezoeker hier vindt.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ProductPage"]
    max_count = 1

    class Meta:
        verbose_name = "productbibliotheek"
        verbose_name_plural = "productbibliotheken"

    def serve(self, request, *args, **kwargs):
        from django.template.response import TemplateResponse

        from core.ratelimit import allow_scope

        if request.GET.get("q") and not allow_scope(request, "search"):
            response = TemplateResponse(
                request, "search/too_many_searches.html", {"page": self}, status=429
            )
            response["Retry-After"] = "60"
            return response
        from search.library import library_input_error

        error = library_input_error(request)
        if error:
            return TemplateResponse(request, "400.html", {"detail": error}, status=400)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from search.library import library_page_context

        context.update(library_page_context(request, library=self))
        return context
