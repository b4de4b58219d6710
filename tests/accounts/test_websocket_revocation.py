"""Websockets need a signed-in user and close (code 4401) within a second when sign-in ends.

A test-only subclass of ``AuthenticatedConsumer`` is routed behind the real ``AuthMiddlewareStack``
and opened with the session cookie a real sign-in set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import Client
from django.urls import path

from playground.accounts.consumers import CLOSE_SIGNED_OUT, AuthenticatedConsumer


class ProbeConsumer(AuthenticatedConsumer):
    """Refuses anyone named "mallory", to exercise the ``authorize`` hook."""

    async def authorize(self, user: User) -> bool:
        return user.username != "mallory"


application = AuthMiddlewareStack(URLRouter([path("ws/probe/", ProbeConsumer.as_asgi())]))

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _empty_channel_layer() -> AsyncIterator[None]:
    yield
    await get_channel_layer().flush()


async def signed_in_client(user: User) -> Client:
    client = Client()
    await sync_to_async(client.force_login)(user)
    return client


def socket_for(client: Client | None) -> WebsocketCommunicator:
    headers = []
    if client is not None:
        headers = [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]
    return WebsocketCommunicator(application, "/ws/probe/", headers=headers)


async def open_socket(client: Client) -> WebsocketCommunicator:
    socket = socket_for(client)
    connected, _ = await socket.connect()
    assert connected
    return socket


async def test_an_anonymous_socket_is_refused_at_the_handshake():
    socket = socket_for(None)
    connected, _ = await socket.connect()
    assert not connected


async def test_a_signed_in_user_the_consumer_refuses_is_refused(password):
    mallory = await sync_to_async(User.objects.create_user)("mallory", password=password)
    socket = socket_for(await signed_in_client(mallory))
    connected, _ = await socket.connect()
    assert not connected


async def test_signing_out_closes_that_sessions_sockets_within_a_second(alice):
    this_tab = await signed_in_client(alice)
    other_browser = await signed_in_client(alice)
    socket = await open_socket(this_tab)
    untouched = await open_socket(other_browser)

    await sync_to_async(this_tab.post)("/accounts/logout/")

    assert await socket.receive_output(timeout=1) == {
        "type": "websocket.close",
        "code": CLOSE_SIGNED_OUT,
    }
    assert await untouched.receive_nothing(timeout=0.2)
    await untouched.disconnect()


async def test_changing_the_password_closes_every_socket_of_the_user_within_a_second(
    alice, password
):
    this_tab = await signed_in_client(alice)
    sockets = [await open_socket(this_tab), await open_socket(await signed_in_client(alice))]

    response = await sync_to_async(this_tab.post)(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "n3w pass phrase!",
            "new_password2": "n3w pass phrase!",
        },
    )
    assert response.status_code == 302

    for socket in sockets:
        assert await socket.receive_output(timeout=1) == {
            "type": "websocket.close",
            "code": CLOSE_SIGNED_OUT,
        }


async def test_a_password_set_outside_the_page_closes_the_sockets_too(alice):
    socket = await open_socket(await signed_in_client(alice))

    def change_password() -> None:  # what `manage.py changepassword` does
        alice.set_password("set by the operator 9")
        alice.save()

    await sync_to_async(change_password)()
    assert (await socket.receive_output(timeout=1))["code"] == CLOSE_SIGNED_OUT


async def test_signing_in_elsewhere_leaves_open_sockets_alone(alice, password):
    socket = await open_socket(await signed_in_client(alice))
    response = await sync_to_async(Client().post)(
        "/accounts/login/", {"username": "alice", "password": password}
    )
    assert response.status_code == 302
    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()
