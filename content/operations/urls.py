"""Public URLs of the hub's operations (the knowledge signal form)."""

urlpatterns: list = []
