"""The query parameters of the product list: the search page's filters, as camelCase keys."""

from types import GenericAlias
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, create_model

from api.schemas import (
    ApiSchema,
    SortOrder,
)
from search.facets import FACETS, Facet
from search.services import ProductQuery

MAX_PAGE_SIZE = 100


class _ProductListParams(ApiSchema):
    q: str = Field("", max_length=200, description="Zoektekst; leeg toont alle producten.")

    if TYPE_CHECKING:
        # `create_model` below adds these after the facets, the order of the OpenAPI document.
        sort: SortOrder
        page: int
        page_size: int

    def to_product_query(self) -> "ProductQuery":
        """The search service's query for these parameters."""

        return ProductQuery(
            query=self.q,
            filters={facet.name: list(getattr(self, facet.name)) for facet in FACETS},
            sort=self.sort,
            page=self.page,
            page_size=self.page_size,
        )


# A pydantic field definition: (type form, FieldInfo). Both are `Any` to mypy: a type form built at
# run time (Literal of a facet's values) has no static type, and pydantic's `Field()` returns Any.
FieldDefinition = tuple[Any, Any]


def _facet_field(facet: Facet) -> FieldDefinition:
    """A facet's parameter: a list of its values (pydantic's field definition, type and Field)."""
    # Literal[tuple(...)] expands to Literal["scan", "format", ...], an enum in the OpenAPI document.
    value: Any = Literal[tuple(facet.choices.values)] if facet.choices else str
    # `list[value]`, spelt so that mypy reads a value, not a type with a variable in it.
    return GenericAlias(list, (value,)), Field(
        default_factory=list, alias=facet.api_parameter, description=facet.api_help
    )


_ORDER_AND_PAGE: dict[str, FieldDefinition] = {
    "sort": (
        SortOrder,
        Field(
            "relevance",
            description="relevance (bij een zoektekst), newest (nieuwste eerst) of title (A-Z).",
        ),
    ),
    "page": (int, Field(1, ge=1, le=10_000, description="Paginanummer, vanaf 1.")),
    "page_size": (int, Field(20, ge=1, le=MAX_PAGE_SIZE, description="Producten per pagina.")),
}

# `Any` values: mypy matches a dict unpacked into create_model against its own keywords too.
_FIELDS: dict[str, Any] = {
    **{facet.name: _facet_field(facet) for facet in FACETS},
    **_ORDER_AND_PAGE,
}
if TYPE_CHECKING:
    # To mypy the product list's parameters are the base class, which declares the fields that
    # the endpoints read by name; a class built at run time is no type it can check against.
    ProductListParams = _ProductListParams
else:
    ProductListParams = create_model(
        "ProductListParams",
        __base__=_ProductListParams,
        __doc__="Free text, one or more values per facet, sort order and page.",
        **_FIELDS,
    )
