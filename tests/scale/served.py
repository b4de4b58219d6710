"""The browser side of the scale-out tests and the cluster benchmark: signed-in users and their
tabs on a served process, over real HTTP and websockets on loopback.

Users are created, signed in, in the cluster's database by ``manage.py shell`` (their sessions
written directly, as a sign-in would write them, so that no password is hashed). A ``ServedTab``
loads a page with the session cookie, opens the page's websocket at the address its
``ws-connect`` names, and applies every message to the page as htmx would
(``tests/streaming/dom.py``). ``stored`` reads an answer's row straight from PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

from playground.cluster.local import LocalCluster
from tests.streaming.dom import Page

_OPENING = 'hx-swap-oob="beforeend:#messages,'


def create_signed_in(usernames: list[str]) -> dict[str, str]:
    """In the cluster's database (run by ``manage.py shell``): the users, each with a session as
    signing in makes one; their session keys by name."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    unusable = make_password(None)
    users = User.objects.bulk_create(User(username=name, password=unusable) for name in usernames)
    keys = {}
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[user.username] = session.session_key
    return keys


def signed_in(cluster: LocalCluster, usernames: list[str]) -> dict[str, str]:
    printed = cluster.manage(
        "shell",
        "-v0",
        "-c",
        "import json\nfrom tests.scale.served import create_signed_in\n"
        f"print(json.dumps(create_signed_in({usernames!r})))",
    )
    return json.loads(printed.splitlines()[-1])


def stored(cluster: LocalCluster, message_id: int) -> dict[str, Any]:
    """The answer's row as PostgreSQL holds it now."""
    import psycopg
    from psycopg.rows import dict_row

    assert cluster.postgres is not None
    with psycopg.connect(cluster.postgres.url, row_factory=dict_row) as connection:
        row = connection.execute(
            "SELECT id, conversation_id, state, content, error, runner, seq "
            "FROM conversations_message WHERE id = %s",
            [message_id],
        ).fetchone()
    assert row is not None, f"no message {message_id}"
    return row


class ServedTab:
    """A browser tab on one served process: its page, and the page's websocket."""

    def __init__(self, *, base_url: str, session_key: str) -> None:
        self.base_url = base_url
        self.session_key = session_key
        self.page = Page()
        self.received: list[str] = []
        self.socket: ClientConnection | None = None

    @property
    def cookies(self) -> dict[str, str]:
        return {"sessionid": self.session_key}

    async def open(self, path: str = "/") -> ServedTab:
        async with httpx.AsyncClient(base_url=self.base_url, cookies=self.cookies) as client:
            response = await client.get(path)
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        self.page = Page(response.text)
        ws_path = next(
            node.attrs["ws-connect"] for node in self.page.root.walk() if "ws-connect" in node.attrs
        )
        self.socket = await connect(
            self.base_url.replace("http://", "ws://", 1) + ws_path,
            origin=Origin(self.base_url),
            additional_headers={"Cookie": f"sessionid={self.session_key}"},
            max_size=None,
            open_timeout=60,
            close_timeout=2,
        )
        return self

    async def send(self, data: dict[str, Any]) -> None:
        assert self.socket is not None
        await self.socket.send(json.dumps(data))

    async def receive(self, wait: float = 30) -> str:
        assert self.socket is not None
        html = str(await asyncio.wait_for(self.socket.recv(), wait))
        self.received.append(html)
        self.page.apply(html)
        return html

    async def receive_until(self, done: Callable[[str], bool], wait: float = 30) -> str:
        async with asyncio.timeout(wait):
            while True:
                html = await self.receive(wait)
                if done(html):
                    return html

    async def receive_opening(self, wait: float = 30) -> int:
        """Receive up to the frame that places a new answer in the page; the answer's id."""
        await self.receive_until(lambda html: _OPENING in html, wait)
        answers = [a for a in self.page.articles() if "message-assistant" in a.classes()]
        return int(answers[-1].attrs["id"].removeprefix("m-"))

    async def until_finished(self, message_id: int, wait: float = 30) -> None:
        """Receive until the page shows the answer ended (fetching the finished answer when its
        last frame asks, as htmx does), whether it ends now or had ended before the page."""
        async with asyncio.timeout(wait):
            while self.streaming(message_id):
                await self.receive(wait)
                await self.run_loads()

    def streaming(self, message_id: int) -> bool:
        article = self.page.by_id(f"m-{message_id}")
        return article is None or "state-streaming" in article.classes()

    async def run_loads(self) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, cookies=self.cookies) as client:
            while self.page.loads:
                trigger = self.page.loads.pop(0)
                response = await client.get(trigger.attrs["hx-get"], headers={"HX-Request": "true"})
                assert response.status_code == 200, response
                self.page.apply(response.text)

    def answer_text(self, message_id: int) -> str:
        """The answer's first block as the page shows it ("" before it has one)."""
        body = self.page.by_id(f"m-{message_id}-b-0-body")
        return body.text().strip() if body is not None else ""

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()


def echo_words(count: int) -> str:
    """``count`` distinct words: the Simulator's ``[[echo]]`` answers with exactly this text."""
    return " ".join(f"w{n}" for n in range(count))


def is_prefix(shown: str, text: str) -> bool:
    """Whether ``shown`` is ``text`` so far, word for word: no word repeated, none missing."""
    words = shown.split()
    return words == text.split()[: len(words)]


async def stored_when(
    cluster: LocalCluster, message_id: int, ready: Callable[[dict[str, Any]], bool], *, wait: float
) -> dict[str, Any]:
    """The answer's row once ``ready(row)`` holds, looked at every 0.1 s for ``wait`` seconds."""
    for _ in range(max(1, round(wait / 0.1))):
        row = stored(cluster, message_id)
        if ready(row):
            return row
        await asyncio.sleep(0.1)
    raise AssertionError(f"after {wait} s, message {message_id} is still {row}")
