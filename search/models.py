"""Search data: the public product index, the synonym list and the anonymous query statistics."""

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from wagtail.admin.panels import FieldPanel
from wagtail.search import index as wagtail_index

from search.analysis import analyze


class FacetKeysField(models.JSONField):
    """A list of facet keys (`type:scan`, `line:12`): a `text[]` on PostgreSQL, JSON elsewhere.

    PostgreSQL counts facets by unnesting every match's keys; an array is unnested in the
    select list (`unnest`) at about half the cost of `jsonb_array_elements_text` (migration
    0005). SQLite keeps the JSON list (`json_each`).
    """

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        if connection.vendor == "postgresql":
            return "text[]"
        return super().db_type(connection)

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        if connection.vendor == "postgresql":
            return None if value is None else [str(key) for key in value]
        return super().get_db_prep_value(value, connection, prepared)

    def get_placeholder(self, value: Any, compiler: Any, connection: BaseDatabaseWrapper) -> str:
        # Having a placeholder keeps Django's bulk insert on PostgreSQL from sending each column
        # as one array (UNNEST), which cannot hold lists of different lengths.
        return "%s"

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if connection.vendor == "postgresql":
            return value
        return super().from_db_value(value, expression, connection)


class ProductSearchDocument(models.Model):
    """The search entry of one live, public product: stems per field and its facet keys.

    A row exists only while its product is live. PostgreSQL adds a small generated `rank_vector`
    (title, summary) and a GIN index on the weighted vector of title, summary, body and the
    synonym phrases' tokens (not stored, migration 0006); SQLite an FTS5 table kept in step by
    triggers (migration 0001_squashed_0009), which finds phrases by itself.
    """

    page = models.OneToOneField(
        "content.ProductPage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="product",
    )
    title = models.TextField("titel")
    title_sort = models.CharField("titel voor sorteren", max_length=255, db_index=True)
    stemmed_title = models.TextField(blank=True)
    stemmed_summary = models.TextField(blank=True)
    stemmed_body = models.TextField(blank=True)
    # A token per synonym phrase found in the stems above ("beschut/werk"), for PostgreSQL.
    stemmed_phrases = models.TextField(blank=True, default="")
    published_at = models.DateTimeField("gepubliceerd", null=True, db_index=True)
    facet_keys = FacetKeysField(default=list)
    indexed_at = models.DateTimeField("geïndexeerd", auto_now=True)

    class Meta:
        verbose_name = "zoekindex-item"
        verbose_name_plural = "zoekindex"

    def __str__(self) -> str:
        return self.title


class SearchSynonym(wagtail_index.Indexed, models.Model):
    """A set of words and phrases that mean the same thing to a visitor of the product library."""

    terms = models.TextField(
        "gelijke termen",
        help_text="Woorden of woordgroepen die hetzelfde betekenen, gescheiden door komma's, "
        "bijvoorbeeld: SOB, sociaal ontwikkelbedrijf, SW-bedrijf. Wie op één ervan zoekt, "
        "vindt ook producten met de andere.",
    )
    note = models.CharField(
        "toelichting",
        max_length=255,
        blank=True,
        help_text="Waarom horen deze termen bij elkaar? Alleen zichtbaar in het beheer.",
    )

    panels = [FieldPanel("terms"), FieldPanel("note")]
    search_fields = [wagtail_index.SearchField("terms"), wagtail_index.AutocompleteField("terms")]

    class Meta:
        ordering = ["terms"]
        verbose_name = "synoniem"
        verbose_name_plural = "synoniemen"

    def __str__(self) -> str:
        return ", ".join(self.term_list)

    @property
    def term_list(self) -> list[str]:
        """The terms as entered, without empty ones."""
        return [term.strip() for term in self.terms.split(",") if term.strip()]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        usable = [term for term in self.term_list if analyze(term)]
        if len(usable) < 2:
            raise ValidationError(
                {"terms": "Geef ten minste twee termen op, gescheiden door een komma."}
            )


class SearchQueryStat(models.Model):
    """How often a query was searched on one day, and how many results it got. No personal data."""

    query = models.CharField("zoekvraag", max_length=200)
    day = models.DateField("dag", db_index=True)
    searches = models.PositiveIntegerField("aantal keer gezocht", default=0)
    zero_result_searches = models.PositiveIntegerField("aantal keer zonder resultaat", default=0)
    last_result_count = models.PositiveIntegerField("laatste aantal resultaten", default=0)

    class Meta:
        verbose_name = "zoekvraagstatistiek"
        verbose_name_plural = "zoekvraagstatistieken"
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="hubsearch_query_day_unique")
        ]
        indexes = [models.Index(fields=["query"])]

    def __str__(self) -> str:
        return f"{self.query} ({self.day})"
