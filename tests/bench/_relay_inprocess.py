"""The relay with the app in the benchmark's own process: ``playground.asgi.application`` driven
by Channels' ``WebsocketCommunicator`` as the browsers, the in-memory channel layer, a temporary
SQLite database. App, browsers and the SDK reference share one interpreter (one core), so this
overstates the relay's cost under load; it is kept for comparison with the served architecture.
"""

from __future__ import annotations

import asyncio
import json
import os
import time

from playground.simulator.process import RunningSimulator
from tests.bench._relay_common import (
    RelayRun,
    Stored,
    install_write_counter,
    process_rss_bytes,
    send_data,
    stored_answers,
)

DESCRIPTION = (
    "app in the benchmark process (WebsocketCommunicator on playground.asgi.application, "
    "in-memory channel layer, SQLite), browsers and SDK reference in that same process"
)


class InProcessApp:
    name = "in-process"
    rss_covers = "the browsers' sockets and the benchmark included"

    def rss_bytes(self) -> int:
        return process_rss_bytes()

    def stored(self, answer_ids: list[int]) -> dict[int, Stored]:
        return stored_answers(answer_ids)


class InProcessBrowser:
    """A signed-in user's tab: the session cookie and the page's websocket."""

    def __init__(self, username: str) -> None:
        from django.contrib.auth.models import User
        from django.test import Client

        self.client = Client(HTTP_HOST="localhost")
        self.client.force_login(User.objects.create_user(username))

    def headers(self) -> list[tuple[bytes, bytes]]:
        cookie = f"sessionid={self.client.cookies['sessionid'].value}".encode()
        return [(b"origin", b"http://localhost"), (b"host", b"localhost"), (b"cookie", cookie)]

    async def ask(self, text: str, *, together: asyncio.Barrier | None = None) -> RelayRun:
        from asgiref.sync import sync_to_async
        from channels.testing import WebsocketCommunicator

        from playground.asgi import application

        socket = WebsocketCommunicator(application, "/ws/chat/", headers=self.headers())
        connected, _ = await socket.connect()
        assert connected, "the websocket was refused"
        if together is not None:
            await together.wait()
        run = RelayRun()
        run.sent_at = time.perf_counter()
        await socket.send_to(text_data=json.dumps(send_data(text)))
        while not run.take(await socket.receive_from(timeout=120), time.perf_counter()):
            pass
        await socket.disconnect()
        page = await sync_to_async(self.client.get)(f"/m/{run.answer_id}/", HTTP_HX_REQUEST="true")
        assert page.status_code == 200, f"fetching the finished answer: {page.status_code}"
        run.fetch_bytes = len(page.content)
        return run


def set_up_django(data_dir: str, simulator: RunningSimulator) -> None:
    """Django in this process, on a fresh database in ``data_dir``, its Simulator provider on
    ``simulator``; once per process."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "playground.settings"
    os.environ["PLAYGROUND_DATA_DIR"] = data_dir
    os.environ["PLAYGROUND_SIMULATOR_BASE_URL"] = simulator.base_url
    os.environ.setdefault("PLAYGROUND_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if settings.PLAYGROUND_SIMULATOR_BASE_URL != simulator.base_url:
        raise RuntimeError("Django was set up before this benchmark; run it in its own process")
    call_command("migrate", verbosity=0)
    install_write_counter()
