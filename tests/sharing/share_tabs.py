"""A signed-out visitor's tab on a share page: the page as served and its socket, applied as
htmx would (the streaming tests' ``Tab``, without a session); and what a closed link answers."""

from __future__ import annotations

from typing import Any

from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import Client

from playground.asgi import application
from tests.streaming.conftest import Tab, load_page, socket_headers
from tests.streaming.dom import Page
from tests.streaming.open_tabs import OPEN_TABS


async def open_share_tab(token: str, *, client: Client | None = None) -> Tab:
    """Load ``/s/<token>/`` (signed out unless ``client`` is given) and open its socket."""
    client = client or Client()
    page = Page(await load_page(client, f"/s/{token}/"))
    ws_path = next(n.attrs["ws-connect"] for n in page.root.walk() if "ws-connect" in n.attrs)
    socket = WebsocketCommunicator(application, ws_path, headers=socket_headers(None))
    connected, _ = await socket.connect()
    assert connected, f"the socket at {ws_path} was refused"
    tab = Tab(client, socket, page)
    OPEN_TABS.append(tab)  # closed after the test with the streaming tests' tabs
    return tab


async def closed_with(socket: WebsocketCommunicator, wait: float = 5) -> Any:
    """The close code the socket ends with, skipping frames that were on their way."""
    while True:
        output = await socket.receive_output(timeout=wait)
        if output["type"] == "websocket.close":
            return output.get("code")


def everything_refuses(token: str, message_id: int) -> None:
    """The link's page and its fragment of ``message_id`` are 404 to anyone, whatever the method."""
    for client in (Client(), _signed_in_stranger()):
        for url in (f"/s/{token}/", f"/s/{token}/m/{message_id}/"):
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code == 404, f"{method.upper()} {url}"


def _signed_in_stranger() -> Client:
    client = Client()
    client.force_login(User.objects.get_or_create(username="charlie")[0])
    return client


async def socket_close_code(token: str) -> int | None:
    """The code a new socket on the link is closed with (accepted first, as the page expects)."""
    socket = WebsocketCommunicator(application, f"/ws/s/{token}/", headers=socket_headers(None))
    connected, _ = await socket.connect()
    assert connected, "accepted, then closed with a code the page understands"
    code = await closed_with(socket)
    await socket.disconnect()
    return code
