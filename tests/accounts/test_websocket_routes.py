"""Every websocket route of the project is served by a consumer that requires sign-in, except
the share page's, whose token is the permission (its checks: tests/sharing/test_revocation.py)."""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import path

from playground.accounts.consumers import AuthenticatedConsumer
from playground.routing import websocket_urlpatterns

PUBLIC_ROUTES = ["ws/s/<str:token>/"]


def test_every_project_websocket_route_requires_sign_in():
    """A consumer that does not derive from AuthenticatedConsumer would accept strangers."""
    assert unauthenticated_routes(websocket_urlpatterns) == PUBLIC_ROUTES
    plain = [path("ws/plain/", AsyncWebsocketConsumer.as_asgi())]
    assert unauthenticated_routes(plain) == ["ws/plain/"], "the check itself finds offenders"


def unauthenticated_routes(patterns: list) -> list[str]:
    offenders = []
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            offenders += unauthenticated_routes(pattern.url_patterns)
            continue
        consumer = getattr(pattern.callback, "consumer_class", None)
        if consumer is None or not issubclass(consumer, AuthenticatedConsumer):
            offenders.append(str(pattern.pattern))
    return offenders
