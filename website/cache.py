"""The public website behind a shared HTTP cache (Varnish, tools/varnish/hubcms.vcl).

Two rules live here:
- `cache_policy` says which responses a shared cache may keep: anonymous website pages only.
  Signed-in users, previews, pages with a CSRF form and anything that sets a cookie are
  `private, no-store`. A view-restricted page already carries Wagtail's own `private, no-cache,
  no-store` (its `check_view_restrictions`), which the policy keeps; and only a visitor with a
  session or a login gets past the restriction.
- `urls_showing` names every website URL that shows a page, and the signal handlers purge them
  through Wagtail's frontend-cache invalidation (`WAGTAILFRONTENDCACHE`) after the change commits,
  on publish, unpublish, move, delete and a change of a view restriction.
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from products.models import (
    DevelopmentLineIndexPage,
    DevelopmentLinePage,
    HomePage,
    InnovationAgendaPage,
    ProductLibraryPage,
    ProductPage,
)

logger = logging.getLogger("hubcms.website_cache")

PRIVATE = "private, no-store"
# Paths the shared cache never keeps (they set their own Cache-Control, or must not be shared).
UNCACHED_PREFIXES = ("/admin/", "/_util/", "/api/", "/documenten/", "/healthz", "/django-admin/")
CACHEABLE_STATUSES = {200, 301, 404, 410}


def shared_cache_seconds() -> int:
    return int(getattr(settings, "HUBCMS_SHARED_CACHE_SECONDS", 3600))


def cache_policy(request: HttpRequest, response: HttpResponse) -> str | None:
    """The Cache-Control for a website response, or None to leave the response's own."""
    if response.has_header("Cache-Control"):
        return None
    if request.path.startswith(UNCACHED_PREFIXES):
        return None
    if request.method not in ("GET", "HEAD") or response.status_code not in CACHEABLE_STATUSES:
        return PRIVATE
    user = getattr(request, "user", None)
    if (
        (user is not None and user.is_authenticated)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or getattr(request, "is_preview", False)
    ):
        return PRIVATE
    # Browsers check again each time; the shared cache keeps the page until a purge (or the TTL).
    return f"public, max-age=0, s-maxage={shared_cache_seconds()}"


class SharedCacheHeadersMiddleware:
    """Puts `cache_policy`'s answer on every website response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = cache_policy(request, response)
        if policy:
            response["Cache-Control"] = policy
        return response


# --- Purging -------------------------------------------------------------------------------------


def _listing_pages() -> list[Page]:
    """Pages that list or link products and lines: home, library, lines, agenda."""

    pages: list[Page] = []
    for model in (
        HomePage,
        ProductLibraryPage,
        DevelopmentLineIndexPage,
        DevelopmentLinePage,
        InnovationAgendaPage,
    ):
        pages.extend(model.objects.live())
    return pages


def _pages_linking(page: Page) -> list[Page]:
    """Live products that show `page` among their related products."""

    return list(ProductPage.objects.live().filter(related_products__related=page.pk).distinct())


def site_wide_urls() -> list[str]:
    """Website URLs outside the page tree that list products."""
    urls = []
    for name in ("website:sitemap", "website:product_feed", "search:suggestions"):
        try:
            urls.append(reverse(name))
        except Exception:  # a URL that this configuration does not have
            continue
    return urls


def urls_showing(page: Page, *, with_descendants: bool = False) -> list[str]:
    """Every website URL whose response shows `page`, ready for a PurgeBatch."""
    batch = PurgeBatch()
    pages = [page, *page.get_ancestors().filter(depth__gt=1)]
    if with_descendants:
        pages.extend(page.get_descendants())
    pages.extend(_listing_pages())
    pages.extend(_pages_linking(page))
    batch.add_pages({p.pk: p for p in pages}.values())
    base = _site_root_url(page)
    batch.add_urls(base + path for path in site_wide_urls())
    return sorted(set(batch.urls))


def _site_root_url(page: Page) -> str:
    try:
        site = page.get_site()
    except Site.DoesNotExist:  # while bootstrap_hub replaces Wagtail's default site
        site = None
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def purge_urls(urls: list[str]) -> None:
    """Purge now, through the configured frontend caches (none configured: nothing to do)."""
    if not urls or not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    batch = PurgeBatch(urls)
    batch.purge()
    logger.info("purged %d URLs from the HTTP cache", len(urls))


def purge_after_commit(urls: list[str]) -> None:
    """Purge once the change is committed: a purge before it would let the old page be cached again."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    transaction.on_commit(lambda: purge_urls(urls))


def _purge_page(page: Page, *, with_descendants: bool = False) -> None:
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    try:
        urls = urls_showing(page.specific_deferred, with_descendants=with_descendants)
    except Exception:  # a purge never stops a publish; the TTL bounds what stays
        logger.exception("could not work out the URLs to purge for page %s", page.pk)
        return
    purge_after_commit(urls)


@receiver(page_published)
@receiver(page_unpublished)
def purge_on_publish_or_unpublish(sender, instance: Page, **kwargs) -> None:
    _purge_page(instance)


def _old_urls(page: Page, old_url_path: str) -> list[str]:
    """The addresses the page and its descendants had before a move or a new slug."""
    site = page.get_site()
    if site is None:
        return []
    root_path = site.root_page.url_path
    new_url_path = page.url_path
    urls = []
    for url_path in [new_url_path, *page.get_descendants().values_list("url_path", flat=True)]:
        before = old_url_path + url_path[len(new_url_path) :]
        if before.startswith(root_path):
            urls.append(site.root_url + "/" + before[len(root_path) :])
    return urls


@receiver(post_page_move)
def purge_on_move(sender, instance: Page, url_path_before: str, url_path_after: str, **kwargs):
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    purge_after_commit(
        _old_urls(instance, url_path_before)
        + urls_showing(instance.specific_deferred, with_descendants=True)
    )


@receiver(page_slug_changed)
def purge_on_slug_change(sender, instance: Page, instance_before: Page, **kwargs) -> None:
    """A new slug moves the page: its old address must not keep serving the old copy."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    purge_after_commit(_old_urls(instance, instance_before.url_path))


@receiver(pre_delete, sender=Page)
def purge_on_delete(sender, instance: Page, **kwargs) -> None:
    if instance.depth > 1 and instance.live:
        _purge_page(instance, with_descendants=True)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def purge_on_restriction_change(sender, instance: PageViewRestriction, **kwargs) -> None:
    try:
        page = instance.page
    except Page.DoesNotExist:  # the page itself is being deleted; purge_on_delete covers it
        return
    _purge_page(page, with_descendants=True)


class VarnishBackend(HTTPBackend):
    """Wagtail's HTTP purge backend with a time limit per PURGE and error logging.

    Wagtail's own waits as long as the socket lets it; a stuck cache must not hold up an editor's
    publish (what it fails to purge leaves the cache within HUBCMS_SHARED_CACHE_SECONDS).
    """

    timeout_seconds = 3

    def purge(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        target = urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""])
        request = PurgeRequest(url=target, headers={"Host": host})
        try:
            urlopen(request, timeout=self.timeout_seconds)  # noqa: S310 - configured location
        except (HTTPError, URLError, OSError) as error:
            logger.error("could not purge %s from the HTTP cache: %s", url, error)
