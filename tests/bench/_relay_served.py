"""The relay as deployed: the app served by Daphne in a subprocess (``python -m playground.serve
-b 127.0.0.1 playground.asgi:application``, as ``make run`` serves it: Daphne with websocket
compression; the in-memory channel layer, SQLite in a temporary data dir),
the browsers in the benchmark process over real websockets on loopback.

Users are created in the app's database with ``manage.py shell`` before Daphne starts, and sign
in through the real sign-in page (httpx) for their session cookies; what the app stored is read
back with ``manage.py shell`` too, so that nothing of the app runs in the benchmark's process.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

from playground.cluster.local import ServedProcess
from playground.cluster.servers import free_port
from playground.simulator.process import PROJECT_DIR, RunningSimulator
from tests.bench._relay_common import RelayRun, Stored, process_rss_bytes, send_data

DESCRIPTION = (
    "app served by Daphne in a subprocess (in-memory channel layer, SQLite), browsers in the "
    "benchmark process over real websockets on loopback, SDK reference in the benchmark process"
)
PASSWORD = "relay-bench-password"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def create_users(usernames: list[str]) -> None:
    """In the app's database (run by ``manage.py shell``): the users, all with ``PASSWORD``,
    hashed once, since hashing on purpose takes most of a second."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    password = make_password(PASSWORD)
    User.objects.bulk_create(User(username=name, password=password) for name in usernames)


class ServedApp:
    name = "served"
    rss_covers = "the Daphne process alone"

    def __init__(self, *, data_dir: Path, simulator: RunningSimulator) -> None:
        self.data_dir = data_dir
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "playground.settings",
            "PLAYGROUND_DATA_DIR": str(data_dir),
            "PLAYGROUND_SIMULATOR_BASE_URL": simulator.base_url,
            "PLAYGROUND_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        self.served: ServedProcess | None = None
        self.base_url = ""

    def manage(self, *args: str) -> str:
        """Run ``manage.py`` against the app's database; return what it printed."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def prepare(self, *, usernames: list[str]) -> None:
        self.manage("migrate", "--noinput", "-v0")
        self.manage(
            "shell",
            "-v0",
            "-c",
            "from tests.bench._relay_common import install_write_counter\n"
            "from tests.bench._relay_served import create_users\n"
            f"install_write_counter(); create_users({usernames!r})",
        )

    def start(self) -> None:
        self.served = ServedProcess(
            port=free_port(), env=self.env, log_path=self.data_dir / "daphne.log"
        )
        self.served.start()
        self.base_url = self.served.base_url

    def stop(self) -> None:
        if self.served is not None:
            self.served.stop()

    def rss_bytes(self) -> int:
        assert self.served is not None and self.served.process is not None
        return process_rss_bytes(self.served.process.pid)

    def stored(self, answer_ids: list[int]) -> dict[int, Stored]:
        printed = self.manage(
            "shell",
            "-v0",
            "-c",
            "import dataclasses, json\n"
            "from tests.bench._relay_common import stored_answers\n"
            f"stored = stored_answers({answer_ids!r})\n"
            "print(json.dumps({k: dataclasses.asdict(v) for k, v in stored.items()}))",
        )
        return {int(k): Stored(**v) for k, v in json.loads(printed.splitlines()[-1]).items()}


class ServedBrowser:
    """A signed-in user's tab: an HTTP client holding the session cookie, and the page's
    websocket opened for each question."""

    def __init__(self, *, base_url: str, client: httpx.AsyncClient) -> None:
        self.ws_url = base_url.replace("http://", "ws://", 1) + "/ws/chat/"
        self.origin = Origin(base_url)
        self.client = client

    async def ask(self, text: str, *, together: asyncio.Barrier | None = None) -> RelayRun:
        """Open the page's socket, then (once every browser of ``together`` has its socket
        open, as pages are open before their users press Send) send ``text`` and read the answer.
        """
        cookie = f"sessionid={self.client.cookies['sessionid']}"
        async with connect(
            self.ws_url,
            origin=self.origin,
            additional_headers={"Cookie": cookie},
            max_size=None,
            open_timeout=60,
            create_connection=CountingConnection,
        ) as websocket:
            assert isinstance(websocket, CountingConnection)
            handshake_bytes = websocket.received_bytes
            if together is not None:
                await together.wait()
            run = RelayRun()
            run.sent_at = time.perf_counter()
            await websocket.send(json.dumps(send_data(text)))
            while True:
                frame = await asyncio.wait_for(websocket.recv(), 120)
                if run.take(str(frame), time.perf_counter()):
                    break
            run.wire_bytes = websocket.received_bytes - handshake_bytes
        page = await self.client.get(f"/m/{run.answer_id}/", headers={"HX-Request": "true"})
        assert page.status_code == 200, f"fetching the finished answer: {page.status_code}"
        run.fetch_bytes = len(page.content)
        return run


class CountingConnection(ClientConnection):
    """A websocket client counting the bytes it receives as they come off the socket: frames as
    sent on the wire, compressed when the server accepted permessage-deflate (as browsers ask)."""

    received_bytes = 0

    def data_received(self, data: bytes) -> None:
        self.received_bytes += len(data)
        super().data_received(data)


async def sign_in(client: httpx.AsyncClient, username: str) -> None:
    """Through the sign-in page, as a person would: its form's CSRF token, then the POST."""
    page = await client.get("/accounts/login/")
    token = _CSRF.search(page.text)
    assert token, f"no CSRF token on the sign-in page ({page.status_code})"
    answer = await client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )
    assert answer.status_code == 302 and "sessionid" in client.cookies, (
        f"{username} could not sign in ({answer.status_code})"
    )


@asynccontextmanager
async def signed_in_browsers(
    *, base_url: str, usernames: list[str]
) -> AsyncIterator[list[ServedBrowser]]:
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(httpx.AsyncClient(base_url=base_url, timeout=300))
            for _ in usernames
        ]
        await asyncio.gather(
            *(sign_in(c, name) for c, name in zip(clients, usernames, strict=True))
        )
        yield [ServedBrowser(base_url=base_url, client=c) for c in clients]
