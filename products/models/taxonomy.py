"""Shared vocabularies: arbeidsmarktregio's, target groups and product themes."""

from django.db import models

from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.search import index
from wagtail.snippets.models import register_snippet


class Region(models.Model):
    """One of the 35 arbeidsmarktregio's; loaded by a data migration, not edited by hand."""

    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("naam", max_length=120, unique=True)
    central_municipality = models.CharField("centrumgemeente", max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "arbeidsmarktregio"
        verbose_name_plural = "arbeidsmarktregio's"

    def __str__(self) -> str:
        return self.name


@register_snippet
class TargetGroup(index.Indexed, models.Model):
    """A group a product is meant for, e.g. 'beleidsadviseurs gemeenten' or 'jobcoaches SOB'."""

    name = models.CharField("naam", max_length=120, unique=True)
    slug = models.SlugField("slug", max_length=120, unique=True)
    description = models.TextField(
        "omschrijving",
        blank=True,
        help_text="Wie hoort bij deze doelgroep, in één of twee zinnen.",
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "doelgroep"
        verbose_name_plural = "doelgroepen"

    def __str__(self) -> str:
        return self.name


class ProductPageTag(TaggedItemBase):
    """A theme (thema) on a product, as a free tag."""

    content_object = ParentalKey(
        "content.ProductPage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "thema"
        verbose_name_plural = "thema's"
