"""Search URLs (autocomplete)."""

urlpatterns: list = []
