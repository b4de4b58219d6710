"""Websocket routes, all under /ws/."""

from django.urls import path

from playground.compare.consumers import CompareConsumer
from playground.sharing.consumers import ShareConsumer
from playground.streaming.consumers import ChatConsumer

websocket_urlpatterns: list = [
    path("ws/chat/", ChatConsumer.as_asgi(), name="ws_chat"),
    path("ws/c/<int:conversation_id>/", ChatConsumer.as_asgi(), name="ws_conversation"),
    path("ws/compare/<int:compare_id>/", CompareConsumer.as_asgi(), name="ws_compare"),
    # Public: the share token is the permission (see playground.sharing.consumers).
    path("ws/s/<str:token>/", ShareConsumer.as_asgi(), name="ws_share"),
]
