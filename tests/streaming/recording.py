"""A recording relay: a loopback TCP relay in front of the Simulator that keeps every request body.

The playground calls the relay over real HTTP as it would call the Simulator; the relay passes
the bytes on unchanged both ways and keeps each request's JSON body, so that a test can assert on
what the upstream received, not on what the playground meant to send.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any
from urllib.parse import urlsplit


class RecordingRelay:
    def __init__(self, upstream_base_url: str) -> None:
        target = urlsplit(upstream_base_url)
        self._host, self._port = target.hostname or "127.0.0.1", target.port or 80
        self.requests: list[dict[str, Any]] = []
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    async def start(self) -> str:
        """Listen on a free loopback port; the base URL to give the playground instead."""
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections.add(asyncio.current_task())
        upstream_reader, upstream_writer = await asyncio.open_connection(self._host, self._port)
        back = asyncio.create_task(_pipe(upstream_reader, writer))
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                body = await reader.readexactly(_content_length(head))
                self.requests.append(json.loads(body))
                upstream_writer.write(head + body)
                await upstream_writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client closed its connection
        finally:
            upstream_writer.close()
            with contextlib.suppress(Exception):
                await back
            writer.close()
            self._connections.discard(asyncio.current_task())


def _content_length(head: bytes) -> int:
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            return int(value.strip())
        assert name.strip().lower() != "transfer-encoding", "the relay reads sized bodies only"
    return 0


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while chunk := await reader.read(65536):
        writer.write(chunk)
        await writer.drain()
