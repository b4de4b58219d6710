"""Websocket routes, all under /ws/."""

websocket_urlpatterns: list = []
