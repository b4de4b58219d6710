"""A small TCP load balancer for ``make run-cluster``: each new connection goes to the next
backend in turn (round-robin per connection), bytes copied both ways until either side closes.
It knows nothing of HTTP, so websockets pass through as they are. A backend that refuses the
connection is skipped for that connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging

logger = logging.getLogger("playground.cluster.balancer")

_CHUNK = 64 * 1024


async def balancer_serve(
    *, host: str, port: int, backends: list[tuple[str, int]]
) -> asyncio.Server:
    """Listen on ``host:port`` and spread connections over ``backends``; the running server."""
    turn = itertools.cycle(range(len(backends)))

    async def connected(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter):
        first = next(turn)
        for offset in range(len(backends)):
            backend = backends[(first + offset) % len(backends)]
            try:
                backend_reader, backend_writer = await asyncio.open_connection(*backend)
            except OSError as refusal:
                logger.warning("backend %s:%s refused a connection: %s", *backend, refusal)
                continue
            await asyncio.gather(
                _copy(client_reader, backend_writer), _copy(backend_reader, client_writer)
            )
            return
        client_writer.close()

    return await asyncio.start_server(connected, host, port)


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(_CHUNK):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(ConnectionError, OSError, RuntimeError):
            writer.close()
