"""Wagtail's content API (/api/v2/): pages, images, documents, and the preview of one draft.

The endpoints are Wagtail's own with three restrictions: pages must be live and public (no view
restriction on them or above them, whatever the session); images and documents are listed only
when a live, public product uses them; and `page_preview` shows the one revision a signed preview
token names. Public GET responses carry an ETag and Cache-Control; a matching If-None-Match gets 304.
"""

import functools
import hashlib

from django.http import Http404, HttpResponseNotModified
from django.urls import path

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from rest_framework.response import Response

from hubcms.api.preview import PreviewTokenError, page_for_token

PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate"


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Live pages without any view restriction on them or their ancestors."""

    def get_base_queryset(self):
        return super().get_base_queryset().public()


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    """Images that a live, public product shows."""

    def get_queryset(self):
        from content.models import ProductImage, ProductPage

        used = ProductImage.objects.filter(
            page__in=ProductPage.objects.live().public().values("pk")
        ).values("image_id")
        return super().get_queryset().filter(pk__in=used)


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """Documents that a live, public product offers as a download."""

    def get_queryset(self):
        from content.models import ProductDownload, ProductPage

        used = ProductDownload.objects.filter(
            page__in=ProductPage.objects.live().public().values("pk")
        ).values("document_id")
        return super().get_queryset().filter(pk__in=used)


class PagePreviewAPIViewSet(PublicPagesAPIViewSet):
    """`?token=`: the one page revision the signed token names, as the detail view shows a page."""

    known_query_parameters = PublicPagesAPIViewSet.known_query_parameters.union(["token"])

    def get_object(self):
        if not hasattr(self, "_preview_page"):
            try:
                self._preview_page, _revision = page_for_token(self.request.GET.get("token", ""))
            except PreviewTokenError as error:
                raise Http404(str(error)) from error
        return self._preview_page

    def preview_view(self, request):
        instance = self.get_object()
        serializer = self.get_serializer(instance)
        response = Response(serializer.data)
        response["Cache-Control"] = "private, no-store"
        return response

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "preview_view"}), name="preview")]


def with_http_caching(view):
    """Add an ETag of the body and Cache-Control to public GET 200s; answer 304 when it matches."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.has_header("Cache-Control"):
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        sent = {t.strip() for t in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")}
        if etag in sent:
            response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = PUBLIC_CACHE_CONTROL
        return response

    return wrapped


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)


def content_api_urls() -> tuple[list, str, str]:
    """The router's URL patterns, each with HTTP caching, ready for include()."""
    from wagtail.utils.urlpatterns import decorate_urlpatterns

    patterns = decorate_urlpatterns(api_router.get_urlpatterns(), with_http_caching)
    return patterns, api_router.url_namespace, api_router.url_namespace
