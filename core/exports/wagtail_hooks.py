"""Admin wiring of report exports: "Mijn exports" under Rapporten, and the download address."""

from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.exports import views


@hooks.register("register_admin_urls")
def register_export_urls():
    urls = [
        path("", views.my_exports, name="index"),
        path("<int:export_id>/download/", views.download_export, name="download"),
    ]
    return [path("exports/", include((urls, "report_exports")))]


@hooks.register("register_reports_menu_item")
def my_exports_menu_item():
    return MenuItem(
        "Mijn exports",
        reverse("report_exports:index"),
        name="mijn-exports",
        icon_name="download",
        order=1100,
    )
