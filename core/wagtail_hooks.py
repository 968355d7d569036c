"""Admin hooks of the hubcms project: the preview of a draft in an external front end."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from api.admin_views import headless_preview


class HeadlessPreviewButton(PageMenuItem):
    """Opens the page's latest revision in the external front end, through a signed token."""

    label = "Voorvertoning in externe front-end"
    icon_name = "view"
    priority = 64

    @property
    def url(self):
        return reverse("hubcms_headless_preview", args=[self.page.pk])

    def is_shown(self, user):
        return (
            self.page.latest_revision_id is not None
            and not self.page.is_root()
            and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_admin_urls")
def register_headless_preview_url():
    return [
        path(
            "voorvertoning-extern/<int:page_id>/",
            headless_preview,
            name="hubcms_headless_preview",
        )
    ]


@hooks.register("register_page_header_buttons")
def headless_preview_header_button(page, user, view_name, next_url=None):
    yield HeadlessPreviewButton(page=page)


@hooks.register("register_page_listing_more_buttons")
def headless_preview_listing_button(page, user, next_url=None):
    yield HeadlessPreviewButton(page=page)
