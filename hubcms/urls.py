"""URLs: the admin, documents, the APIs, search, the website's extras and, last, the page tree."""

from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from hubcms.api.content_api import content_api_urls
from hubcms.security.views import healthz, healthz_live

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", healthz_live, name="healthz_live"),
    path("healthz/ready", healthz, name="healthz_ready"),
    path("admin/", include(wagtailadmin_urls)),
    path("documenten/", include(wagtaildocs_urls)),
    path("api/v2/", content_api_urls()),
    path("api/productbibliotheek/v1/", include("hubcms.api.urls")),
    path("zoeken/", include("search.urls")),
    path("", include("content.operations.urls")),
    path("", include("hubcms.website_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
