"""Django-side glue to the upstream client: the shared HTTP client and the request-time guard.

One pooled ``httpx.AsyncClient`` per process and per running event loop: a client's connections
belong to the loop that opened them, so a client must never cross loops (Daphne runs one loop;
``async_to_sync`` in tests and management commands runs others). Redirects are never followed,
so an upstream cannot bounce a request to an address the SSRF guard would refuse.
"""

from __future__ import annotations

import asyncio
import threading

import httpx
from django.conf import settings

from playground.accounts.providers import is_builtin
from playground.accounts.ssrf import check_endpoint_url
from playground.wire.providers import Provider

_clients: dict[asyncio.AbstractEventLoop, tuple[httpx.AsyncClient, asyncio.Task]] = {}
_clients_lock = threading.Lock()

# Connecting should be quick; reading may wait long, as DeepSeek queues requests for minutes.
_CONNECT_TIMEOUT = 10.0


def _new_client() -> httpx.AsyncClient:
    total = settings.PLAYGROUND_UPSTREAM_TIMEOUT
    return httpx.AsyncClient(
        follow_redirects=False,
        timeout=httpx.Timeout(total, connect=min(_CONNECT_TIMEOUT, total)),
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=40),
    )


async def _close_when_the_loop_ends(client: httpx.AsyncClient) -> None:
    # A loop that ends through asyncio.run (every async_to_sync call outside a server does)
    # cancels its pending tasks first: this one then closes the client's pooled connections
    # instead of leaving their sockets open behind a closed loop.
    try:
        await asyncio.get_running_loop().create_future()
    finally:
        await client.aclose()


def http_client() -> httpx.AsyncClient:
    """The shared client of the running event loop (created on first use)."""
    loop = asyncio.get_running_loop()
    with _clients_lock:
        entry = _clients.get(loop)
        if entry is not None and not entry[0].is_closed:
            return entry[0]
        for ended in [other for other in _clients if other.is_closed()]:
            del _clients[ended]
        client = _new_client()
        _clients[loop] = (client, loop.create_task(_close_when_the_loop_ends(client)))
        return client


async def guard_provider(provider: Provider) -> None:
    """Raise ``UnsafeEndpoint`` if ``provider`` is a custom endpoint the server may not call.

    The built-in providers (the Simulator included) are configured by the operator and exempt.
    """
    if is_builtin(provider.slug):
        return
    await check_endpoint_url(
        provider.base_url, allow_private=settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS
    )
