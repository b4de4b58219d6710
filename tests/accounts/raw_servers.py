"""Tiny HTTP/1.1 servers on loopback for the network backend's tests.

Each answers in one deliberate way (keeps the connection, closes it after one answer, never
answers, streams, floods) and counts the connections it accepted. ``backend_client`` builds an
``httpx.AsyncClient`` over the project's asyncio network backend, the way
``playground.upstream`` does, for tests that need their own ``verify`` or timeouts.
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from playground.upstream_network import AsyncioBackend

type Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class RawServer:
    port: int = 0
    connections: int = 0
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@asynccontextmanager
async def raw_server(
    handle: Handler, *, ssl_context: ssl.SSLContext | None = None
) -> AsyncIterator[RawServer]:
    served = RawServer()

    async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        served.connections += 1
        served.writers.append(writer)
        try:
            await handle(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass  # the client went away, or refused our certificate: nothing left to answer
        finally:
            writer.close()

    server = await asyncio.start_server(on_connection, "127.0.0.1", 0, ssl=ssl_context)
    served.port = server.sockets[0].getsockname()[1]
    try:
        yield served
    finally:
        # Handlers that never answer would keep wait_closed() waiting for their connections.
        for writer in served.writers:
            writer.transport.abort()
        server.close()
        await server.wait_closed()


def backend_client(**options: Any) -> httpx.AsyncClient:
    client = httpx.AsyncClient(**options)
    client._transport._pool._network_backend = AsyncioBackend()
    return client


async def read_head(reader: asyncio.StreamReader) -> int:
    """Read one request's head; return the length of the body that follows."""
    head = await reader.readuntil(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """One request's body (its head is read and dropped)."""
    return await reader.readexactly(await read_head(reader))


def response(body: bytes, *, status: str = "200 OK") -> bytes:
    return b"HTTP/1.1 %s\r\nContent-Length: %d\r\n\r\n%s" % (status.encode(), len(body), body)


async def answer_each_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Keeps the connection alive, answering "ok" to every request."""
    while True:
        try:
            await read_request(reader)
        except asyncio.IncompleteReadError:
            return  # the client closed its kept-alive connection
        writer.write(response(b"ok"))
        await writer.drain()


async def answer_once_then_close(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Answers without announcing a close (so the client keeps the connection), then closes."""
    await read_request(reader)
    writer.write(response(b"ok"))
    await writer.drain()


async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read()


async def take_no_upload(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Stops reading the connection, so an upload fills the socket buffers and stalls."""
    writer.transport.pause_reading()
    await reader.read()  # returns when the connection ends


async def stream_chunks(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A chunked answer in twenty parts, a moment apart: "part 0 ... part 19 "."""
    await read_request(reader)
    writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    for index in range(20):
        chunk = b"part %d " % index
        writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        await writer.drain()
        await asyncio.sleep(0.005)
    writer.write(b"0\r\n\r\n")
    await writer.drain()


def flood(body: bytes) -> Handler:
    """Answers ``body`` as fast as the connection takes it."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(response(body))
        await writer.drain()

    return handle


async def digest_late(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Leaves an upload unread for a moment, then answers its SHA-256."""
    length = await read_head(reader)
    await asyncio.sleep(0.2)
    body = await reader.readexactly(length)
    writer.write(response(hashlib.sha256(body).hexdigest().encode()))
    await writer.drain()
