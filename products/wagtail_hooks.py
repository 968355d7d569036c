"""Admin and serving hooks of the content app."""

from django.http import Http404
from django.urls import reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from products.documents import may_download
from products.importexport.admin_views import may_move_hub, move_hub


@hooks.register("before_serve_document")
def serve_only_public_documents(document, request):
    """A document that only a draft or a restricted page uses is not found for the public."""
    if not may_download(document, request):
        raise Http404("Dit document is niet openbaar.")


@hooks.register("register_admin_urls")
def register_move_hub_url():
    from django.urls import path

    return [path("hub-verhuizen/", move_hub, name="move_hub")]


class _MoveHubMenuItem(MenuItem):
    def is_shown(self, request):
        return may_move_hub(request.user)


@hooks.register("register_settings_menu_item")
def register_move_hub_menu_item():
    return _MoveHubMenuItem("Hub verhuizen", reverse("move_hub"), icon_name="download", order=900)
