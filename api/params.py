"""The query parameters of the product list: the search page's filters, as camelCase keys."""

from typing import Literal

from pydantic import Field, create_model

from api.schemas import (
    ApiSchema,
    SortOrder,
)
from search.facets import FACETS
from search.services import ProductQuery

MAX_PAGE_SIZE = 100


class _ProductListParams(ApiSchema):
    q: str = Field("", max_length=200, description="Zoektekst; leeg toont alle producten.")

    def to_product_query(self) -> "ProductQuery":
        """The search service's query for these parameters."""

        return ProductQuery(
            query=self.q,
            filters={facet.name: list(getattr(self, facet.name)) for facet in FACETS},
            sort=self.sort,
            page=self.page,
            page_size=self.page_size,
        )


def _facet_field(facet) -> tuple:
    # Literal[tuple(...)] expands to Literal["scan", "format", ...], an enum in the OpenAPI document.
    value = Literal[tuple(facet.choices.values)] if facet.choices else str  # type: ignore[valid-type]
    return list[value], Field(  # type: ignore[valid-type]
        default_factory=list, alias=facet.api_parameter, description=facet.api_help
    )


ProductListParams = create_model(
    "ProductListParams",
    __base__=_ProductListParams,
    __doc__="Free text, one or more values per facet, sort order and page.",
    **{facet.name: _facet_field(facet) for facet in FACETS},
    sort=(
        SortOrder,
        Field(
            "relevance",
            description="relevance (bij een zoektekst), newest (nieuwste eerst) of title (A-Z).",
        ),
    ),
    page=(int, Field(1, ge=1, le=10_000, description="Paginanummer, vanaf 1.")),
    page_size=(int, Field(20, ge=1, le=MAX_PAGE_SIZE, description="Producten per pagina.")),
)
