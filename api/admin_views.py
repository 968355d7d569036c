"""The admin's "Voorvertoning in externe front-end" link: a fresh token for the page's latest revision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect

from wagtail.models import Page

from api.preview import preview_link


def headless_preview(request: HttpRequest, page_id: int) -> HttpResponseRedirect:
    """Redirect an editor of the page to the external preview of its latest revision."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    revision = page.latest_revision
    if revision is None:
        messages.error(request, "Deze pagina heeft nog geen versie om te tonen. Sla haar eerst op.")
        return redirect("wagtailadmin_pages:edit", page.pk)
    base_url = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponseRedirect(preview_link(revision=revision, base_url=base_url))
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
