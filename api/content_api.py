"""Wagtail's content API (/api/v2/): pages, images, documents, and the preview of one draft.

The endpoints are Wagtail's own with three restrictions: pages must be live and public (no view
restriction on them or above them, whatever the session); images and documents are listed only
when a live, public product uses them; and `page_preview` shows the one revision a signed preview
token names. Public GET responses carry an ETag and Cache-Control; a matching If-None-Match gets 304
(`api.http.APIMiddleware`, which also rate limits reading and makes every error problem+json).

Input is checked here, at the edge: the search text reaches Wagtail's search backend as plain
words (`search.query.plain_search_text`), the offset is bounded, every error is problem+json with
a Dutch title and detail.
"""

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.urls import path

from taggit.managers import TaggableManager
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from rest_framework.exceptions import APIException
from rest_framework.response import Response

from api.preview import PreviewTokenError, page_for_token
from api.problems import problem_response
from products.models import ProductDownload, ProductImage, ProductPage
from search.query import SearchTextError, plain_search_text

# Far beyond any listing of this hub (about 10,000 products); a larger offset is a mistake or a
# probe, and past 2**63 the database cannot even read it.
MAX_OFFSET = 100_000
LARGEST_ID = 2**63 - 1  # the largest number a database's id column holds

# Wagtail's English error messages, in Dutch; anything else keeps its message behind a Dutch lead.
DUTCH_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"query parameter is not an operation or a recognised field: (?P<x>.*)"),
        "Onbekende parameter: {x}.",
    ),
    (
        re.compile(r"(?P<x>\w+) must be a positive integer"),
        "{x} moet een geheel getal vanaf 0 zijn.",
    ),
    (re.compile(r"limit cannot be higher than (?P<x>\d+)"), "limit mag hoogstens {x} zijn."),
    (re.compile(r"type doesn't exist"), "Dit paginatype bestaat niet (gebruik app_label.Model)."),
    (re.compile(r"(?P<x>\w+) page doesn't exist"), "De pagina bij {x} bestaat niet."),
    (re.compile(r"unknown fields: (?P<x>.*)"), "Onbekende velden: {x}."),
    (re.compile(r"fields error: (?P<x>.*)"), "Ongeldige waarde voor fields: {x}."),
    (
        re.compile(r"field filter error\. .* for (?P<x>\w+)"),
        "Ongeldige waarde voor het filter {x}.",
    ),
    (re.compile(r"cannot order by '(?P<x>.*)'"), "Kan niet sorteren op '{x}'."),
]


class DutchBadRequest(BadRequestError):
    """A 400 of ours, whose message is already Dutch."""


def dutch_message(message: str) -> str:
    """Wagtail's API error message in Dutch."""
    for pattern, dutch in DUTCH_MESSAGES:
        match = pattern.match(message)
        if match:
            return dutch.format(**match.groupdict())
    return f"Het verzoek is ongeldig: {message}"


class PlainTextSearchFilter(SearchFilter):
    """Wagtail's `?search=`, with the text checked and reduced to its words first."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        if "search" not in request.GET:
            return queryset
        try:
            words = plain_search_text(request.GET["search"])
        except SearchTextError as error:
            raise DutchBadRequest(str(error)) from error
        operator = request.GET.get("search_operator") or None
        if operator not in (None, "and", "or"):
            raise DutchBadRequest("search_operator moet 'and' of 'or' zijn.")
        request = _with_query(request, search=words)
        return super().filter_queryset(request, queryset, view)


class CheckedFieldsFilter(FieldsFilter):
    """Wagtail's field filters (`?first_published_at=`, `?regions=`): Wagtail checks only numbers
    and booleans, and passed a date, a word for a relation or an empty value to the query as it
    came (a 500). Such a value is a 400 naming the filter, and so is a number beyond 64 bits for
    a number or a relation (SQLite cannot send it; PostgreSQL would find nothing)."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        named = sorted(name for name in request.GET if name in fields)
        for name in named:
            field = queryset.model._meta.get_field(name)
            numeric = isinstance(field, models.IntegerField) or (
                field.is_relation and not isinstance(field, TaggableManager)
            )
            digits = request.GET[name].strip().removeprefix("-")
            if numeric and digits.isdecimal() and int(digits) > LARGEST_ID:
                raise DutchBadRequest(f"Het getal bij het filter {name} is te groot.")
        try:
            return super().filter_queryset(request, queryset, view)
        except (ValidationError, ValueError) as error:
            names = ", ".join(named)
            raise DutchBadRequest(f"Ongeldige waarde voor het filter {names}.") from error


def _with_query(request: Any, **values: str) -> Any:
    """A view of the DRF request whose GET has `values` replaced (the request is left alone)."""
    query = request.GET.copy()
    for key, value in values.items():
        query[key] = value

    class _Request:
        GET = query

        def __getattr__(self, name: str) -> Any:
            return getattr(request, name)

    return _Request()


class BoundedPagination(WagtailPagination):
    """Wagtail's offset/limit paging with an upper bound on the offset."""

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        offset = request.GET.get("offset", "0").strip()
        if offset.isdecimal() and (len(offset) > 9 or int(offset) > MAX_OFFSET):
            raise DutchBadRequest(f"offset mag hoogstens {MAX_OFFSET} zijn.")
        return super().paginate_queryset(queryset, request, view)


def _replace_search_filter(backends: list[type]) -> list[type]:
    """Wagtail's filter backends with the search text and the field filters checked first."""
    ours = {SearchFilter: PlainTextSearchFilter, FieldsFilter: CheckedFieldsFilter}
    return [ours.get(backend, backend) for backend in backends]


if TYPE_CHECKING:  # the mixin's super() is a Wagtail API view set (untyped)
    from wagtail.api.v2.views import BaseAPIViewSet as _APIViewSet
else:
    _APIViewSet = object


class ProblemDetailsMixin(_APIViewSet):
    """Answer every error of a Wagtail API endpoint as problem+json, in Dutch."""

    pagination_class = BoundedPagination

    def find_object(self, queryset: Any, request: Any) -> Any:
        # Wagtail passes `?id=` straight to the database: a word or an empty value was a 500.
        if "id" in request.GET:
            page_id = request.GET["id"].strip()
            if not (page_id.isdecimal() and len(page_id) <= 18):
                raise BadRequestError("id must be a positive integer")
        return super().find_object(queryset, request)

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, Http404):
            preview_error = isinstance(exc.__cause__, PreviewTokenError)
            detail = str(exc) if preview_error else "Deze bron bestaat niet."
            return problem_response(status=404, detail=detail, instance=self.request.path)
        if isinstance(exc, BadRequestError):
            detail = str(exc) if isinstance(exc, DutchBadRequest) else dutch_message(str(exc))
            return problem_response(status=400, detail=detail, instance=self.request.path)
        if isinstance(exc, APIException):
            return problem_response(
                status=exc.status_code,
                detail="Het verzoek kon niet worden verwerkt.",
                instance=self.request.path,
            )
        return super().handle_exception(exc)


class PublicPagesAPIViewSet(ProblemDetailsMixin, PagesAPIViewSet):
    """Live pages without any view restriction on them or their ancestors."""

    filter_backends = _replace_search_filter(PagesAPIViewSet.filter_backends)

    def get_base_queryset(self) -> Any:
        return super().get_base_queryset().public()


class PublicImagesAPIViewSet(ProblemDetailsMixin, ImagesAPIViewSet):
    """Images that a live, public product shows."""

    filter_backends = _replace_search_filter(ImagesAPIViewSet.filter_backends)

    def get_queryset(self) -> Any:
        used = ProductImage.objects.filter(
            page__in=ProductPage.objects.live().public().values("pk")
        ).values("image_id")
        return super().get_queryset().filter(pk__in=used)


class PublicDocumentsAPIViewSet(ProblemDetailsMixin, DocumentsAPIViewSet):
    """Documents that a live, public product offers as a download."""

    filter_backends = _replace_search_filter(DocumentsAPIViewSet.filter_backends)

    def get_queryset(self) -> Any:
        used = ProductDownload.objects.filter(
            page__in=ProductPage.objects.live().public().values("pk")
        ).values("document_id")
        return super().get_queryset().filter(pk__in=used)


class PagePreviewAPIViewSet(PublicPagesAPIViewSet):
    """`?token=`: the one page revision the signed token names, as the detail view shows a page."""

    known_query_parameters = PublicPagesAPIViewSet.known_query_parameters.union(["token"])

    def get_object(self) -> Any:
        if not hasattr(self, "_preview_page"):
            try:
                self._preview_page, _revision = page_for_token(self.request.GET.get("token", ""))
            except PreviewTokenError as error:
                raise Http404(str(error)) from error
        return self._preview_page

    def preview_view(self, request: Any) -> Any:
        instance = self.get_object()
        serializer = self.get_serializer(instance)
        response = Response(serializer.data)
        response["Cache-Control"] = "private, no-store"
        return response

    @classmethod
    def get_urlpatterns(cls) -> list[Any]:
        return [path("", cls.as_view({"get": "preview_view"}), name="preview")]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)
