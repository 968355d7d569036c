"""Public URLs of the hub's operations (the knowledge signal form)."""

from django.urls import path

from operations import views

app_name = "operations"

urlpatterns = [
    path("kennissignaal/", views.knowledge_signal, name="knowledge_signal"),
    path("kennissignaal/bedankt/", views.knowledge_signal_thanks, name="knowledge_signal_thanks"),
]
