"""Fixtures for the streaming tests: browser tabs of signed-in users, on the real ASGI app.

A ``Tab`` is what a browser tab would be: the page as the site serves it (fetched with the test
client), a websocket opened on ``playground.asgi.application`` with the session cookie, and every
message the socket receives applied to the page as htmx would (``tests/streaming/dom.py``). The
upstream is the session's Simulator, over loopback.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import Client

from playground.asgi import application
from playground.conversations.models import Conversation, Message
from playground.streaming.runner import generation_get, running_ids
from tests.streaming.dom import Node, Page
from tests.streaming.open_tabs import OPEN_TABS


@pytest.fixture(autouse=True)
def _streaming_settings(settings, simulator) -> None:
    settings.PLAYGROUND_SIMULATOR_BASE_URL = simulator.base_url
    settings.PLAYGROUND_UPSTREAM_RETRIES = 1  # one retry shows the path; more only costs time


_open_tabs = OPEN_TABS  # one list, whichever copy of this module a caller has (see open_tabs)


@pytest.fixture(autouse=True)
async def _no_generation_outlives_its_test() -> AsyncIterator[None]:
    yield
    while _open_tabs:
        await _open_tabs.pop().close()
    generations = [generation_get(message_id) for message_id in running_ids()]
    for generation in generations:
        generation.stop()
    await asyncio.gather(*(g.task for g in generations), return_exceptions=True)
    await get_channel_layer().flush()


async def answer_streaming_elsewhere(user: User, *, text: str, seq: int) -> Message:
    """A conversation whose answer is `streaming` with ``text`` checkpointed at ``seq``, but whose
    generation does not run in this process (another process's, or one that died)."""
    conversation = await Conversation.objects.acreate(user=user)
    question = await Message.objects.acreate(
        conversation=conversation, role="user", content=[{"type": "text", "text": "Hi"}]
    )
    answer = await Message.objects.acreate(
        conversation=conversation,
        parent=question,
        role="assistant",
        state=Message.State.STREAMING,
        content=[{"type": "text", "text": text}],
        seq=seq,
    )
    conversation.current_leaf = answer
    await conversation.asave()
    return answer


class Tab:
    """One browser tab on a page of the playground, with its websocket."""

    def __init__(self, client: Client, socket: WebsocketCommunicator, page: Page) -> None:
        self.client = client
        self.socket = socket
        self.page = page
        self.received: list[str] = []
        self.closed = False

    async def send(self, data: dict[str, Any]) -> None:
        await self.socket.send_to(text_data=json.dumps(data))

    async def receive(self, wait: float = 10) -> str:
        html = await self.socket.receive_from(timeout=wait)
        self.received.append(html)
        self.page.apply(html)
        return html

    async def receive_until(self, done: Callable[[str], bool], wait: float = 20) -> str:
        """Apply messages until one makes ``done(message)`` true; return that message."""
        async with asyncio.timeout(wait):
            while True:
                html = await self.receive(wait)
                if done(html):
                    return html

    async def receive_opening(self, wait: float = 20) -> int:
        """Receive up to the frame that places a new answer in the page; the answer's id."""
        await self.receive_until(lambda html: 'hx-swap-oob="beforeend:#messages,' in html, wait)
        return self.answer_id()

    async def until_finished(self, message_id: int, wait: float = 20) -> None:
        """Receive up to the answer's last frame, then fetch the finished answer as htmx does."""
        await self.receive_until(lambda html: f'hx-get="/m/{message_id}/"' in html, wait)
        await self.run_loads()

    async def run_loads(self) -> None:
        while self.page.loads:
            trigger = self.page.loads.pop(0)
            response = await sync_to_async(self.client.get)(
                trigger.attrs["hx-get"], HTTP_HX_REQUEST="true"
            )
            assert response.status_code == 200, response
            html = response.content.decode()
            # The answer replaces its own article (hx-target is its id): a swap by id.
            assert trigger.attrs["hx-swap"] == "outerHTML"
            assert f'id="{trigger.attrs["hx-target"][1:]}"' in html
            self.page.apply(html)

    def answer(self) -> Node:
        """The last assistant message on the page."""
        answers = [a for a in self.page.articles() if "message-assistant" in a.classes()]
        assert answers, "no answer on the page"
        return answers[-1]

    def answer_id(self) -> int:
        return int(self.answer().attrs["id"].removeprefix("m-"))

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            await self.socket.disconnect()


async def open_tab(user: User, path: str = "/", *, client: Client | None = None) -> Tab:
    """Load ``path`` (``/`` or ``/c/<id>/``) signed in as ``user`` and open its websocket."""
    if client is None:
        client = Client()
        await sync_to_async(client.force_login)(user)
    return await connect_tab(client, await load_page(client, path))


async def load_page(client: Client, path: str) -> str:
    response = await sync_to_async(client.get)(path)
    assert response.status_code == 200, response
    return response.content.decode()


async def connect_tab(client: Client, html: str) -> Tab:
    """Open the socket of a page already loaded, at the address its ``ws-connect`` names."""
    page = Page(html)
    ws_path = next(
        node.attrs["ws-connect"] for node in page.root.walk() if "ws-connect" in node.attrs
    )
    socket = WebsocketCommunicator(application, ws_path, headers=socket_headers(client))
    connected, _ = await socket.connect()
    assert connected, f"the socket at {ws_path} was refused"
    tab = Tab(client, socket, page)
    _open_tabs.append(tab)
    return tab


def socket_headers(client: Client | None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if client is not None:
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


async def stored(message_id: int) -> Message:
    return await Message.objects.aget(pk=message_id)


def echo_words(count: int, *, start: int = 0) -> str:
    """``count`` distinct words: the Simulator's ``[[echo]]`` answers with exactly this text."""
    return " ".join(f"w{n}" for n in range(start, start + count))
