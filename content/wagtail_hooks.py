"""Admin and serving hooks of the content app."""

from django.http import Http404

from wagtail import hooks

from content.documents import may_download


@hooks.register("before_serve_document")
def serve_only_public_documents(document, request):
    """A document that only a draft or a restricted page uses is not found for the public."""
    if not may_download(document, request):
        raise Http404("Dit document is niet openbaar.")
