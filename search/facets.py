"""The product library's facets, each defined once.

A facet has a name (its key in a search result), the index field holding its keys (`type:scan`,
`line:12`), the website's GET parameter, the API's query key, a Dutch label, and how its values
are read: from a product and its relations when indexing (`read`), and as (id, public value,
label) when searching (`vocabulary`). Indexing, every engine, the website and the API use this list.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from django.db.models import Q, QuerySet, TextChoices

from products.choices import LifecycleStatus, ProductType
from products.models import DevelopmentLinePage, Region, TargetGroup

Values: TypeAlias = list[tuple[object, str, str]]  # (id in the index key, public value, label)
# A product as indexing reads it: a row of its columns (`search.documents.COLUMNS`).
Product: TypeAlias = dict[str, Any]
# A product's relations by kind, as `search.documents.relations` reads them: "lines", "groups"
# and "themes" hold (id, name) pairs, "regions" ids.
Relations: TypeAlias = Mapping[str, list[Any]]


@dataclass(frozen=True)
class Facet:
    name: str
    field: str  # the index field, and the prefix of its keys
    parameter: str  # the website's GET parameter
    api_parameter: str  # the product-library API's query key
    label: str
    api_help: str
    read: Callable[[Product, Relations], Iterable[object]]  # -> value ids
    vocabulary: Callable[[], Values] = list  # the values a visitor may choose, if not `choices`
    choices: type[TextChoices] | None = None  # a fixed list of values
    listed_when_counted: bool = False  # long lists show only values with products

    def values(self) -> Values:
        """(id, public value, label) of every value a visitor may choose."""
        if self.choices is not None:
            return [(value, value, str(label)) for value, label in self.choices.choices]
        return self.vocabulary()

    def key(self, value_id: object) -> str:
        return f"{self.field}:{value_id}"

    def keys(self, product: Product, relations: Relations) -> list[str]:
        """The index keys of a product for this facet."""
        return sorted({self.key(value_id) for value_id in self.read(product, relations)})


def _column(name: str) -> Callable[[Product, Relations], list[object]]:
    """A product's own column."""
    return lambda product, related: [product[name]]


def _values(queryset: Callable[[], QuerySet[Any]], *fields: str) -> Callable[[], Values]:
    return lambda: list(queryset().order_by(fields[2], "pk").values_list(*fields))


def theme_values(condition: Q) -> Values:
    """Themes are many: only the selected and the most counted ones are read."""
    from taggit.models import Tag

    return list(Tag.objects.filter(condition).values_list("pk", "slug", "name"))


FACETS: list[Facet] = [
    Facet(
        name="product_type",
        field="type",
        parameter="type",
        api_parameter="productType",
        label="Soort product",
        api_help="Producttype; herhaal de sleutel voor meer waarden.",
        read=_column("product_type"),
        choices=ProductType,
    ),
    Facet(
        name="development_line",
        field="line",
        parameter="ontwikkellijn",
        api_parameter="developmentLine",
        label="Ontwikkellijn",
        api_help="Slug van een ontwikkellijn; herhaalbaar.",
        read=lambda product, related: [pk for pk, _ in related["lines"]],
        vocabulary=_values(
            lambda: DevelopmentLinePage.objects.live().public(), "pk", "slug", "title"
        ),
    ),
    Facet(
        name="target_group",
        field="group",
        parameter="doelgroep",
        api_parameter="targetGroup",
        label="Doelgroep",
        api_help="Slug van een doelgroep; herhaalbaar.",
        read=lambda product, related: [pk for pk, _ in related["groups"]],
        vocabulary=_values(TargetGroup.objects.all, "pk", "slug", "name"),
    ),
    Facet(
        name="lifecycle_status",
        field="status",
        parameter="fase",
        api_parameter="lifecycleStatus",
        label="Levensfase",
        api_help="Levensfase; herhaalbaar.",
        read=_column("lifecycle_status"),
        choices=LifecycleStatus,
    ),
    Facet(
        name="region",
        field="region",
        parameter="regio",
        api_parameter="region",
        label="Arbeidsmarktregio",
        api_help="Code van een arbeidsmarktregio; herhaalbaar.",
        read=lambda product, related: related["regions"],
        vocabulary=_values(Region.objects.all, "pk", "code", "name"),
        listed_when_counted=True,
    ),
    Facet(
        name="theme",
        field="theme",
        parameter="thema",
        api_parameter="theme",
        label="Thema",
        api_help="Slug van een thema; herhaalbaar.",
        read=lambda product, related: [pk for pk, _ in related["themes"]],
        listed_when_counted=True,
    ),
]
BY_NAME = {facet.name: facet for facet in FACETS}


def index_keys(product: Product, relations: Relations) -> dict[str, list[str]]:
    """Every facet's index keys of a product: {index field: keys}."""
    return {facet.field: facet.keys(product, relations) for facet in FACETS}
