"""Search URLs, mounted at /zoeken/: title suggestions for the library's search box."""

from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("suggesties", views.suggestions, name="suggestions"),
]
