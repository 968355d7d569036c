"""URLs: the admin, documents, the APIs, search, the website's extras and, last, the page tree."""

import re

from django.conf import settings
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from api.content_api import api_router
from core.security.login_throttling import throttled_password_view
from core.security.media import serve_image_file
from core.security.views import FrontEndLoginView, healthz, healthz_live

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", healthz_live, name="healthz_live"),
    path("healthz/ready", healthz, name="healthz_ready"),
    path("admin/", include(wagtailadmin_urls)),
    # Every password form is throttled by django-axes, and the front-end login asks for the second
    # factor (core/security/login_throttling.py); these shadow Wagtail's own patterns.
    path(
        "documenten/authenticate_with_password/<int:restriction_id>/",
        throttled_password_view(
            wagtaildocs_serve.authenticate_with_password, kind="document", id_kwarg="restriction_id"
        ),
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documenten/", include(wagtaildocs_urls)),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        throttled_password_view(
            wagtail_views.authenticate_with_password,
            kind="pagina",
            id_kwarg="page_view_restriction_id",
        ),
        name="wagtailcore_authenticate_with_password",
    ),
    path("_util/login/", FrontEndLoginView.as_view(), name="wagtailcore_login"),
    path("api/v2/", api_router.urls),
    path("api/productbibliotheek/v1/", include("api.urls")),
    path("zoeken/", include("search.urls")),
    path("", include("operations.urls")),
    path("", include("website.urls")),
]

# Uploaded images and renditions from the media folder, in every environment; never documents,
# which go through Wagtail's serve view and its privacy check (core/security/media.py).
if settings.MEDIA_URL.startswith("/"):
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$",
            serve_image_file,
            name="media_image",
        )
    ]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]

# Dutch error pages on the website, problem+json on the API paths.
handler400 = "core.security.errors.bad_request"
handler403 = "core.security.errors.permission_denied"
handler404 = "core.security.errors.page_not_found"
handler500 = "core.security.errors.server_error"
