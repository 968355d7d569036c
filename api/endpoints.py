"""The product-library API (/api/productbibliotheek/v1/): thin endpoints over selectors and services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.urls import reverse

from ninja import Query, Router, Status
from ninja.params.functions import Query as QueryParam

from api import schemas, selectors
from api.errors import ApiProblem
from api.http import API_VERSION
from api.params import ProductListParams
from api.preview import PreviewTokenError, page_for_token
from core.ratelimit import allow
from operations.choices import SignalStatus
from operations.services import submit_knowledge_signal as submit
from products.models import DevelopmentLinePage, InnovationAgendaPage, ProductPage
from search.facets import BY_NAME
from search.services import autocomplete_titles, search_products

router = Router()

SIGNAL_LIMIT = 5
SIGNAL_WINDOW_SECONDS = 60 * 10


@router.get(
    "/",
    response=schemas.ApiIndex,
    by_alias=True,
    operation_id="getApiIndex",
    url_name="api_index",
    summary="Startpunt van de API",
    tags=["Algemeen"],
)
def api_index(request: HttpRequest) -> schemas.ApiIndex:
    """De versie van de API en de adressen van het OpenAPI-document en de collecties."""

    def absolute(name: str) -> str:
        return request.build_absolute_uri(reverse(f"productbibliotheek-v1:{name}"))

    return schemas.ApiIndex(
        title="Productbibliotheek Innovatiehub Sociale Infrastructuur",
        version=API_VERSION,
        openapi_url=absolute("openapi-json"),
        products_url=absolute("list_products"),
        development_lines_url=absolute("list_development_lines"),
        agenda_url=absolute("innovation_agenda"),
    )


@router.get(
    "/producten",
    response=schemas.ProductList,
    by_alias=True,
    operation_id="listProducts",
    url_name="list_products",
    summary="Producten zoeken",
    tags=["Producten"],
)
def list_products(request: HttpRequest, filters: Query[ProductListParams]) -> schemas.ProductList:
    """Zoek in de gepubliceerde producten, met facetten (aantallen per waarde), sortering en pagina's."""

    result = search_products(filters.to_product_query(), request=request)
    if result.engine_unavailable and result.query:
        # Without the engine the words cannot be searched; a list without them would mislead.
        raise ApiProblem(
            503,
            "Zoeken op tekst is tijdelijk niet beschikbaar. Probeer het later opnieuw, of vraag "
            "de producten op zonder zoekwoorden (q).",
            headers={"Retry-After": "30"},
        )
    # Constructed, not validated: see `selectors.card_summaries`.
    facets = [
        schemas.Facet.model_construct(
            parameter=BY_NAME[key].api_parameter,
            label=BY_NAME[key].label,
            values=[
                schemas.FacetValueOut.model_construct(
                    value=v.value, label=str(v.label), count=v.count, selected=v.selected
                )
                for v in values
            ],
        )
        for key, values in result.facets.items()
    ]
    return schemas.ProductList.model_construct(
        items=selectors.card_summaries(result.products, request=request),
        total=result.total,
        page=result.page,
        page_size=result.page_size,
        num_pages=result.num_pages,
        sort=filters.sort,
        facets=facets,
    )


@router.get(
    "/zoeksuggesties",
    response=schemas.SuggestionList,
    by_alias=True,
    operation_id="listSearchSuggestions",
    url_name="search_suggestions",
    summary="Zoeksuggesties",
    tags=["Producten"],
)
def search_suggestions(
    request: HttpRequest,
    q: str = QueryParam(..., min_length=1, max_length=200, description="De getypte tekst."),
    limit: int = QueryParam(8, ge=1, le=20, description="Hoeveel suggesties hoogstens."),
) -> schemas.SuggestionList:
    """Titels van gepubliceerde producten die met de getypte tekst beginnen, voor autocomplete."""

    return schemas.SuggestionList(
        items=selectors.product_references(autocomplete_titles(q, limit=limit), request=request)
    )


@router.get(
    "/producten/{slug}",
    response=schemas.ProductDetail,
    by_alias=True,
    operation_id="getProduct",
    url_name="product_detail",
    summary="Eén product",
    tags=["Producten"],
)
def product_detail(request: HttpRequest, slug: str) -> schemas.ProductDetail:
    """Alles over één gepubliceerd product: werkblad, stappen, downloads, afbeeldingen, kwaliteitslabel."""
    product = selectors.live_product(slug)
    if product is None:
        raise ApiProblem(404, f"Er is geen gepubliceerd product met de slug '{slug}'.")
    return selectors.product_detail_of(product, request=request)


@router.get(
    "/ontwikkellijnen",
    response=schemas.DevelopmentLineList,
    by_alias=True,
    operation_id="listDevelopmentLines",
    url_name="list_development_lines",
    summary="Ontwikkellijnen met hun producten",
    tags=["Ontwikkellijnen"],
)
def list_development_lines(request: HttpRequest) -> schemas.DevelopmentLineList:
    """Alle gepubliceerde ontwikkellijnen met mijlpalen en gepubliceerde producten."""
    return schemas.DevelopmentLineList(items=selectors.development_lines(request=request))


@router.get(
    "/ontwikkellijnen/{slug}",
    response=schemas.DevelopmentLine,
    by_alias=True,
    operation_id="getDevelopmentLine",
    url_name="development_line_detail",
    summary="Eén ontwikkellijn",
    tags=["Ontwikkellijnen"],
)
def development_line_detail(request: HttpRequest, slug: str) -> schemas.DevelopmentLine:
    """Eén gepubliceerde ontwikkellijn met mijlpalen en gepubliceerde producten."""
    line = selectors.live_development_line(slug)
    if line is None:
        raise ApiProblem(404, f"Er is geen gepubliceerde ontwikkellijn met de slug '{slug}'.")
    return selectors.development_line_of(line, request=request, products=line.public_products)


@router.get(
    "/innovatieagenda",
    response=schemas.InnovationAgenda,
    by_alias=True,
    operation_id="getInnovationAgenda",
    url_name="innovation_agenda",
    summary="De innovatieagenda",
    tags=["Innovatieagenda"],
)
def innovation_agenda(request: HttpRequest) -> schemas.InnovationAgenda:
    """De gepubliceerde innovatieagenda met haar prioriteiten."""
    agenda = selectors.live_agenda()
    if agenda is None:
        raise ApiProblem(404, "Er is nog geen gepubliceerde innovatieagenda.")
    return selectors.agenda_of(agenda, request=request)


@router.get(
    "/regios",
    response=schemas.RegionList,
    by_alias=True,
    operation_id="listRegions",
    url_name="list_regions",
    summary="Arbeidsmarktregio's",
    tags=["Indeling"],
)
def list_regions(request: HttpRequest) -> schemas.RegionList:
    """De 35 arbeidsmarktregio's met het aantal gepubliceerde producten dat er wordt toegepast."""
    return schemas.RegionList(items=selectors.regions_with_counts())


@router.get(
    "/producttypen",
    response=schemas.ProductTypeList,
    by_alias=True,
    operation_id="listProductTypes",
    url_name="list_product_types",
    summary="Producttypen",
    tags=["Indeling"],
)
def list_product_types(request: HttpRequest) -> schemas.ProductTypeList:
    """De producttypen met het aantal gepubliceerde producten per type."""
    return schemas.ProductTypeList(items=selectors.product_types_with_counts())


@router.get(
    "/voorvertoning",
    response=schemas.Preview,
    by_alias=True,
    operation_id="getPreview",
    url_name="preview",
    summary="Voorvertoning van een conceptversie",
    tags=["Voorvertoning"],
)
def preview(
    request: HttpRequest, token: str = QueryParam(..., min_length=1, max_length=2000)
) -> schemas.Preview:
    """De ene conceptversie die het ondertekende, verlopende token uit het beheer aanwijst."""
    try:
        page, revision = page_for_token(token)
    except PreviewTokenError as error:
        raise ApiProblem(
            404, str(error), invalid_params=[{"name": "token", "reason": str(error)}]
        ) from error
    body = {"revision_id": revision.pk, "product": None, "development_line": None, "agenda": None}
    if isinstance(page, ProductPage):
        body.update(
            page_type="product",
            product=selectors.product_detail_of(page, request=request, revision_id=revision.pk),
        )
    elif isinstance(page, DevelopmentLinePage):
        body.update(
            page_type="ontwikkellijn",
            development_line=selectors.development_line_of(page, request=request),
        )
    elif isinstance(page, InnovationAgendaPage):
        body.update(page_type="innovatieagenda", agenda=selectors.agenda_of(page, request=request))
    else:
        raise ApiProblem(
            404,
            "Deze API toont alleen producten, ontwikkellijnen en de agenda; "
            "gebruik /api/v2/page_preview/ voor andere pagina's.",
        )
    # A flag on this request that http.finalize_response reads (no-store); HttpRequest has no
    # such attribute in django-stubs.
    request.api_private = True  # type: ignore[attr-defined]
    return schemas.Preview(**body)


@router.post(
    "/kennissignalen",
    response={201: schemas.KnowledgeSignalReceipt},
    by_alias=True,
    operation_id="submitKnowledgeSignal",
    url_name="submit_knowledge_signal",
    summary="Een kennissignaal insturen",
    tags=["Kennissignalen"],
)
def submit_knowledge_signal(
    request: HttpRequest, signal: schemas.KnowledgeSignalIn
) -> Status[schemas.KnowledgeSignalReceipt]:
    """Stuur een behoefte of inzicht uit een regio naar de hub; de coördinator beoordeelt het."""
    if not allow(
        request,
        scope="api-knowledge-signal",
        limit=SIGNAL_LIMIT,
        window_seconds=SIGNAL_WINDOW_SECONDS,
    ):
        raise ApiProblem(
            429,
            f"U heeft in korte tijd te veel signalen ingestuurd (hoogstens {SIGNAL_LIMIT} per "
            f"{SIGNAL_WINDOW_SECONDS // 60} minuten). Probeer het later opnieuw.",
            headers={"Retry-After": str(SIGNAL_WINDOW_SECONDS)},
        )
    try:
        stored = submit(
            region_code=signal.region_code,
            organisation_kind=signal.organisation_kind,
            topic=signal.topic,
            description=signal.description,
            contact_name=signal.contact_name,
            contact_email=signal.contact_email,
        )
    except DjangoValidationError as error:
        raise ApiProblem.from_django_validation(error) from error
    return Status(
        201,
        schemas.KnowledgeSignalReceipt(
            status=schemas.CodedValue(
                code=stored.status, label=str(SignalStatus(stored.status).label)
            ),
            received_at=stored.received_at,
            message="Bedankt. De coördinator van de Innovatiehub beoordeelt uw signaal.",
        ),
    )
