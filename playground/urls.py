"""Top-level URL configuration: the playground at ``/``, accounts, and the health check."""

from django.urls import include, path

from playground import views

urlpatterns = [
    path("", include("playground.conversations.urls")),
    path("", include("playground.streaming.urls")),
    path("", include("playground.compare.urls")),
    path("", include("playground.conversations.urls_transfer")),
    path("", include("playground.sharing.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("", include("playground.accounts.urls")),
]
