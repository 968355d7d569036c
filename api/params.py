"""The query parameters of the product list: the search page's filters, as camelCase keys."""

from pydantic import Field

from api.schemas import (
    ApiSchema,
    LifecycleStatusCode,
    ProductTypeCode,
    SortOrder,
)

MAX_PAGE_SIZE = 100


class ProductListParams(ApiSchema):
    """Free text, one or more values per facet, sort order and page."""

    q: str = Field("", max_length=200, description="Zoektekst; leeg toont alle producten.")
    product_type: list[ProductTypeCode] = Field(
        default_factory=list, description="Producttype; herhaal de sleutel voor meer waarden."
    )
    development_line: list[str] = Field(
        default_factory=list, description="Slug van een ontwikkellijn; herhaalbaar."
    )
    target_group: list[str] = Field(
        default_factory=list, description="Slug van een doelgroep; herhaalbaar."
    )
    lifecycle_status: list[LifecycleStatusCode] = Field(
        default_factory=list, description="Levensfase; herhaalbaar."
    )
    region: list[str] = Field(
        default_factory=list, description="Code van een arbeidsmarktregio; herhaalbaar."
    )
    theme: list[str] = Field(default_factory=list, description="Slug van een thema; herhaalbaar.")
    sort: SortOrder = Field(
        "relevance",
        description="relevance (bij een zoektekst), newest (nieuwste eerst) of title (A-Z).",
    )
    page: int = Field(1, ge=1, le=10_000, description="Paginanummer, vanaf 1.")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Producten per pagina.")

    def to_product_query(self):
        """The search service's query for these parameters."""
        from search.services import ProductQuery

        return ProductQuery(
            query=self.q,
            product_types=list(self.product_type),
            development_lines=list(self.development_line),
            target_groups=list(self.target_group),
            lifecycle_statuses=list(self.lifecycle_status),
            regions=list(self.region),
            themes=list(self.theme),
            sort=self.sort,
            page=self.page,
            page_size=self.page_size,
        )
