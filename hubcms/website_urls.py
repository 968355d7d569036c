"""Website URLs outside the page tree: sitemap, feeds."""

urlpatterns: list = []
