"""Website URLs outside the page tree: sitemap.xml and the Atom feed of products."""

from django.urls import path

from wagtail.contrib.sitemaps.views import sitemap

from website.views import ProductFeed

app_name = "website"

urlpatterns = [
    path("sitemap.xml", sitemap, name="sitemap"),
    path("feeds/producten/", ProductFeed(), name="product_feed"),
]
