"""A signed-out visitor's tab on a share page: the page as served and its socket, applied as
htmx would (the streaming tests' ``Tab``, without a session)."""

from __future__ import annotations

from typing import Any

from channels.testing import WebsocketCommunicator
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
