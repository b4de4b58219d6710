"""Top-level URL configuration."""

from django.urls import include, path

from playground import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("playground.accounts.urls")),
]
