"""Websocket routes, all under /ws/."""

from django.urls import path

from playground.streaming.consumers import ChatConsumer

websocket_urlpatterns: list = [
    path("ws/chat/", ChatConsumer.as_asgi(), name="ws_chat"),
    path("ws/c/<int:conversation_id>/", ChatConsumer.as_asgi(), name="ws_conversation"),
]
