"""The product-library API's contract: request parameters and response bodies (camelCase on the wire)."""

import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from operations.choices import OrganisationKind

# Literal[tuple(...)] expands to Literal["werkgever", ...], an enum in the OpenAPI document.
# A type checker cannot expand it from the choices, so to mypy these codes are plain strings.
if TYPE_CHECKING:
    OrganisationKindCode = str
else:
    OrganisationKindCode = Literal[tuple(OrganisationKind.values)]

SortOrder = Literal["relevance", "newest", "title"]


def _without_nul(value: str) -> str:
    # PostgreSQL cannot store a NUL character; refuse it here rather than fail at the database.
    if "\x00" in value:
        raise PydanticCustomError("null_character", "Text contains a NUL character")
    return value


# Text from a client, as the database can store it.
Text = Annotated[str, AfterValidator(_without_nul)]


class ApiSchema(Schema):
    """Python names in snake_case, JSON names in camelCase."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class ApiIndex(ApiSchema):
    """Where to start: the document and the main collections."""

    title: str
    version: str
    openapi_url: str
    products_url: str
    development_lines_url: str
    agenda_url: str


class CodedValue(ApiSchema):
    """A value from a fixed list, with its Dutch label."""

    code: str
    label: str


class ProductReference(ApiSchema):
    """A short reference to a product."""

    slug: str
    title: str
    product_type: CodedValue
    api_url: str


class SuggestionList(ApiSchema):
    """Products whose title has a word that starts with the typed text, best first."""

    items: list[ProductReference]


class DevelopmentLineReference(ApiSchema):
    """A short reference to a development line."""

    slug: str
    title: str
    api_url: str


class TargetGroupValue(ApiSchema):
    slug: str
    name: str


class RegionValue(ApiSchema):
    """An arbeidsmarktregio."""

    code: str
    name: str
    central_municipality: str = ""


class ProductSummary(ApiSchema):
    """A product as a search result shows it."""

    id: int
    slug: str
    title: str
    summary: str
    product_type: CodedValue
    lifecycle_status: CodedValue
    version: str
    themes: list[str]
    target_groups: list[TargetGroupValue]
    development_lines: list[DevelopmentLineReference]
    regions: list[RegionValue]
    first_published_at: datetime.datetime | None
    last_published_at: datetime.datetime | None
    website_url: str | None
    api_url: str


class FacetValueOut(ApiSchema):
    """One value of a facet: how many products the current search would show with it."""

    value: str
    label: str
    count: int
    selected: bool


class Facet(ApiSchema):
    """A facet of the search page; `parameter` is the query key that filters on it."""

    parameter: str
    label: str
    values: list[FacetValueOut]


class ProductList(ApiSchema):
    """One page of products, with the total, the paging and the facet counts."""

    items: list[ProductSummary]
    total: int
    page: int
    page_size: int
    num_pages: int
    sort: SortOrder
    facets: list[Facet]


class ApproachStep(ApiSchema):
    """One step of a product's approach (aanpak)."""

    title: str
    description_html: str
    duration: str


class WerkbladSection(ApiSchema):
    """A section of the werkblad; the section `aanpak` holds its steps."""

    key: str
    heading: str
    html: str
    steps: list[ApproachStep]


class Download(ApiSchema):
    """A file that comes with a product."""

    title: str
    kind: CodedValue
    url: str
    file_type: str
    size_bytes: int | None


class Rendition(ApiSchema):
    url: str
    width: int
    height: int


class ImageRenditions(ApiSchema):
    thumbnail: Rendition
    medium: Rendition
    large: Rendition


class ProductImageOut(ApiSchema):
    """An image of a product; `altText` is empty only for a decorative image."""

    alt_text: str
    decorative: bool
    caption: str
    width: int
    height: int
    renditions: ImageRenditions


class QualityLabel(ApiSchema):
    """The quality label the product earned under the quality framework."""

    label: str
    framework_version: str
    assessed_at: datetime.datetime
    passed: bool


class EvidencePilot(ApiSchema):
    """An evaluated pilot behind a product's evidence level: its public facts only."""

    title: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    regions: list[RegionValue]
    phase: CodedValue
    outcome: CodedValue
    evaluated_on: datetime.date | None


EVIDENCE_LEVEL_DESCRIPTION = (
    "Het kwaliteitsniveau (bewijsniveau) van het product, of null als het niet gepubliceerd is. "
    "goed_beschreven: voldoet aan het kwaliteitskader; getoetst_in_de_praktijk: daarnaast ten "
    "minste één pilot positief geëvalueerd; landelijk_toegepast: daarnaast toegepast in ten "
    "minste vijf arbeidsmarktregio's."
)


class ProductDetail(ProductSummary):
    """A product with everything a front end needs to render its werkblad."""

    sections: list[WerkbladSection]
    downloads: list[Download]
    images: list[ProductImageOut]
    related_products: list[ProductReference]
    change_note: str
    next_review_date: datetime.date | None
    quality_label: QualityLabel | None
    evidence_level: CodedValue | None = Field(description=EVIDENCE_LEVEL_DESCRIPTION)
    pilots: list[EvidencePilot] = Field(
        description="De geëvalueerde pilots achter het kwaliteitsniveau, nieuwste eerst."
    )


class Milestone(ApiSchema):
    title: str
    planned_quarter: str
    status: CodedValue


class DevelopmentLine(ApiSchema):
    """A development line with its milestones and its published products."""

    slug: str
    title: str
    summary: str
    goal_html: str
    lead: str
    status: CodedValue
    milestones: list[Milestone]
    products: list[ProductReference]
    website_url: str | None
    api_url: str


class DevelopmentLineList(ApiSchema):
    items: list[DevelopmentLine]


class AgendaPriority(ApiSchema):
    title: str
    description: str
    owner: str
    planned_quarter: str
    status: CodedValue
    development_lines: list[DevelopmentLineReference]
    steering_mechanism: str


class InnovationAgenda(ApiSchema):
    """The innovation agenda: its period and its priorities."""

    title: str
    period_start: int
    period_end: int
    intro_html: str
    priorities: list[AgendaPriority]
    website_url: str | None


class RegionWithCount(RegionValue):
    product_count: int


class RegionList(ApiSchema):
    items: list[RegionWithCount]


class ProductTypeValue(ApiSchema):
    code: str
    label: str
    product_count: int


class ProductTypeList(ApiSchema):
    items: list[ProductTypeValue]


class Preview(ApiSchema):
    """A draft revision shown through a preview token; exactly one of the bodies is filled."""

    page_type: Literal["product", "ontwikkellijn", "innovatieagenda"]
    revision_id: int
    product: ProductDetail | None
    development_line: DevelopmentLine | None
    agenda: InnovationAgenda | None


class KnowledgeSignalIn(ApiSchema):
    """A need or insight from a region, sent to the hub."""

    region_code: Text = Field(max_length=60, description="De code van de arbeidsmarktregio.")
    organisation_kind: OrganisationKindCode
    topic: Text = Field(max_length=200)
    description: Text = Field(max_length=5000)
    contact_name: Text = Field("", max_length=200)
    contact_email: Text = Field("", max_length=254)


class KnowledgeSignalReceipt(ApiSchema):
    """The receipt of a knowledge signal."""

    status: CodedValue
    received_at: datetime.datetime
    message: str
