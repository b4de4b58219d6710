"""Small ASGI plumbing for the Simulator: reading the body, sending JSON, watching for the
client going away, and cutting a connection short for the ``drop`` fault."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    pass


class ConnectionDropped(Exception):
    """Raised to make a generic ASGI server abort the response (the ``drop`` fault)."""


async def read_body(receive: Receive, *, limit: int) -> bytes | None:
    """The whole request body, or None if the client disconnected first."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def watch_disconnect(receive: Receive) -> tuple[asyncio.Event, asyncio.Task[None]]:
    """An event set when the client goes away, and the task that sets it (cancel it when done)."""
    gone = asyncio.Event()

    async def watch() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        gone.set()

    return gone, asyncio.create_task(watch())


def header(scope: Scope, name: str) -> str | None:
    wanted = name.lower().encode()
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            return value.decode("latin-1")
    return None


def encode_headers(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]


def json_bytes(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


async def send_json(
    send: Send, *, status: int, payload: dict[str, Any], headers: list[tuple[str, str]]
) -> None:
    body = json_bytes(payload)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": encode_headers(
                [("content-type", "application/json"), ("content-length", str(len(body))), *headers]
            ),
        }
    )
    await send({"type": "http.response.body", "body": body})


async def abort_connection(send: Send) -> None:
    """Close the connection mid-response, so that the client sees a body that ends abnormally.

    ASGI has no message for this. Under Daphne, ``send`` is a partial of the server bound to the
    Twisted request, whose transport we close after flushing what was written (no final chunk).
    Elsewhere an exception does it: servers abort a response whose application fails mid-way.
    """
    request = send.args[0] if isinstance(send, functools.partial) and send.args else None
    transport = getattr(request, "transport", None)
    if transport is not None and hasattr(transport, "loseConnection"):
        transport.loseConnection()
        return
    raise ConnectionDropped("the [[fault:drop]] directive closed the connection mid-response")
