"""Streaming URLs: a finished answer, fetched once by the page."""

from django.urls import path

from playground.streaming import views

urlpatterns = [
    path("m/<int:message_id>/", views.message_fragment, name="message_fragment"),
]
