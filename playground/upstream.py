"""Django-side glue to the upstream client: the shared HTTP client and the request-time guard.

One pooled ``httpx.AsyncClient`` per process and per running event loop: a client's connections
belong to the loop that opened them, so a client must never cross loops (Daphne runs one loop;
``async_to_sync`` in tests and management commands runs others). Custom endpoints are called
through a second, guarded client that connects only to public addresses, judged when it connects.
Redirects are never followed, so an upstream cannot bounce a request to an address the SSRF guard
would refuse.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
import threading
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
from django.conf import settings

from playground.accounts.providers import is_builtin
from playground.accounts.ssrf import UnsafeEndpoint, check_endpoint_url, judge_addresses
from playground.upstream_network import AsyncioBackend
from playground.wire.providers import Provider

_clients: dict[tuple[asyncio.AbstractEventLoop, bool], tuple[httpx.AsyncClient, asyncio.Task]] = {}
_clients_lock = threading.Lock()

# Connecting should be quick; reading may wait long, as DeepSeek queues requests for minutes.
_CONNECT_TIMEOUT = 10.0


class PublicAddressesOnly(httpcore.AsyncNetworkBackend):
    """A network backend that resolves the host itself and connects only to a public address.

    The SSRF guard checks a custom endpoint's name before each request, but the connection would
    resolve it again; a DNS server answering differently the second time (rebinding) would slip
    through. Here the name is resolved once, at connection time, every address is judged, and the
    connection goes to the address judged. TLS still verifies the certificate against the name
    (httpcore sends the request's host as the server name, whatever address it connected to).
    """

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            judge_addresses(host, infos)
        except (OSError, UnicodeError):
            raise httpcore.ConnectError(f"The host {host} could not be resolved.") from None
        except UnsafeEndpoint as refusal:
            raise httpcore.ConnectError(str(refusal)) from None
        return await self._inner.connect_tcp(
            infos[0][4][0],
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("Custom endpoints are not called over unix sockets.")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@functools.cache
def _tls_context(*, trust_env: bool) -> ssl.SSLContext:
    """httpx's default verification (certifi's authorities, or the environment's SSL_CERT_FILE
    or SSL_CERT_DIR where it is trusted), built once per process: building one reads the whole
    bundle, tens of milliseconds on the event loop, for every client of every loop."""
    return httpx.create_ssl_context(trust_env=trust_env)


def _new_client(*, guarded: bool) -> httpx.AsyncClient:
    total = settings.PLAYGROUND_UPSTREAM_TIMEOUT
    client = httpx.AsyncClient(
        verify=_tls_context(trust_env=not guarded),
        follow_redirects=False,
        timeout=httpx.Timeout(total, connect=min(_CONNECT_TIMEOUT, total)),
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=40),
        # A proxy from the environment would resolve custom endpoints' names out of our sight.
        trust_env=not guarded,
    )
    # The asyncio backend reads streamed answers for a fraction of the CPU of httpcore's anyio
    # one. httpx has no public hook for a network backend; each transport's pool keeps it in this
    # attribute (tests/accounts/test_upstream_client.py fails if that ever changes). The proxies
    # taken from the environment are transports of their own, mounted beside the default one.
    backend = AsyncioBackend()
    for transport in [client._transport, *client._mounts.values()]:
        if transport is not None:
            pool = transport._pool
            pool._network_backend = PublicAddressesOnly(backend) if guarded else backend
    return client


async def _close_when_the_loop_ends(client: httpx.AsyncClient) -> None:
    # A loop that ends through asyncio.run (every async_to_sync call outside a server does)
    # cancels its pending tasks first: this one then closes the client's pooled connections
    # instead of leaving their sockets open behind a closed loop.
    try:
        await asyncio.get_running_loop().create_future()
    finally:
        await client.aclose()


def http_client(*, guarded: bool = False) -> httpx.AsyncClient:
    """The shared client of the running event loop (created on first use); ``guarded``, the one
    that connects only to public addresses, for custom endpoints."""
    loop = asyncio.get_running_loop()
    with _clients_lock:
        entry = _clients.get((loop, guarded))
        if entry is not None and not entry[0].is_closed:
            return entry[0]
        for ended in [key for key in _clients if key[0].is_closed()]:
            del _clients[ended]
        client = _new_client(guarded=guarded)
        _clients[loop, guarded] = (client, loop.create_task(_close_when_the_loop_ends(client)))
        return client


def http_client_for(provider: Provider) -> httpx.AsyncClient:
    """The client to call ``provider`` with: the guarded one for custom endpoints, unless the
    operator allows private endpoints; the built-ins are the operator's and exempt."""
    guarded = not is_builtin(provider.slug) and not settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS
    return http_client(guarded=guarded)


async def guard_provider(provider: Provider) -> None:
    """Raise ``UnsafeEndpoint`` if ``provider`` is a custom endpoint the server may not call.

    The built-in providers (the Simulator included) are configured by the operator and exempt.
    """
    if is_builtin(provider.slug):
        return
    await check_endpoint_url(
        provider.base_url, allow_private=settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS
    )
