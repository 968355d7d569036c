"""Serving uploaded images from the media folder, and nothing else from it.

With `MEDIA_STORAGE=disk` (the compose default) no web server in front of the app serves
MEDIA_ROOT, and whitenoise serves static files only: images and their renditions would be 404 on
the site and in the API. This view serves Wagtail's two image folders (`original_images/`,
`images/`) from the configured file-system storage. Documents are never served from /media/:
they go through Wagtail's serve view (WAGTAILDOCS_SERVE_METHOD = "serve_view"), which checks the
page privacy and the hub's rule that the public only gets what live pages offer; the same holds in
development (`make run`), where Django's static() used to serve the whole folder.
"""

from django.core.files.storage import FileSystemStorage, default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django.views.static import serve

IMAGE_FOLDERS = ("original_images/", "images/")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")
# Rendition names carry a hash of their filter; an original keeps its name (see docs).
CACHE_CONTROL = "public, max-age=86400"


@require_safe
def serve_image_file(request: HttpRequest, path: str) -> HttpResponse:
    """An original image or a rendition from the media folder; 404 for anything else."""
    if (
        not path.startswith(IMAGE_FOLDERS)
        or not path.lower().endswith(IMAGE_EXTENSIONS)
        or not isinstance(default_storage, FileSystemStorage)
    ):
        raise Http404("Geen afbeelding")
    # serve() refuses paths outside the folder ("..", absolute) and answers If-Modified-Since.
    response = serve(request, path, document_root=default_storage.location)
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
