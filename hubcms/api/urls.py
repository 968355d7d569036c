"""The product-library API (/api/productbibliotheek/v1/)."""

urlpatterns: list = []
