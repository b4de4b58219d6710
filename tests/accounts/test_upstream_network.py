"""The asyncio network backend under the shared upstream client: answers arrive whole and in
order, connections are kept alive and reused, and a fast upstream cannot fill memory."""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket

import httpx
import pytest

from playground.upstream import PublicAddressesOnly, http_client
from playground.upstream_network import HIGH_WATER, AsyncioBackend, AsyncioStream
from playground.wire.client import StreamEnd, stream_message
from playground.wire.profiles import SIMULATOR
from playground.wire.providers import builtin_providers
from playground.wire.request import build_request
from tests.accounts.raw_servers import (
    answer_each_request,
    backend_client,
    digest_late,
    flood,
    raw_server,
)

# The most a selector transport hands the protocol at once: the buffer may pass the high-water
# mark by up to one such read before reading pauses.
_TRANSPORT_READ_SIZE = 256 * 1024


@pytest.fixture
def provider(simulator):
    return builtin_providers(
        deepseek_base_url="https://api.deepseek.com/anthropic",
        evolink_base_url="https://direct.evolink.ai",
        simulator_base_url=simulator.base_url,
    )["simulator"]


def ask(text: str, *, max_tokens: int = 1000, **params) -> dict:
    request = {
        "model": "deepseek-v4-flash",
        "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": text}],
        **params,
    }
    return build_request(request, profile=SIMULATOR).body


async def folded(http: httpx.AsyncClient, provider, body: dict) -> dict:
    async for item in stream_message(http, provider=provider, api_key="sim-test", body=body):
        if isinstance(item, StreamEnd):
            assert item.result.ok, item.result.error
            return item.result.message
    raise AssertionError("the stream ended without a StreamEnd")


def answer_text(message: dict) -> str:
    return "".join(block["text"] for block in message["content"] if block["type"] == "text")


async def test_the_shared_client_uses_the_asyncio_backend_for_plain_and_guarded_calls():
    assert isinstance(http_client()._transport._pool._network_backend, AsyncioBackend)
    guarded = http_client(guarded=True)._transport._pool._network_backend
    assert isinstance(guarded, PublicAddressesOnly)
    assert isinstance(guarded._inner, AsyncioBackend)


async def test_a_streamed_answer_folds_exactly_as_it_does_through_httpxs_own_backend(provider):
    body = ask(
        "Use get_time and tell me a story",
        thinking={"type": "enabled"},
        tools=[{"name": "get_time", "input_schema": {"type": "object", "properties": {}}}],
    )
    ours = await folded(http_client(), provider, body)
    async with httpx.AsyncClient() as stock:
        theirs = await folded(stock, provider, body)
    assert ours == theirs
    assert {block["type"] for block in ours["content"]} >= {"thinking", "text"}


async def test_a_twenty_thousand_token_answer_at_full_speed_arrives_whole(provider):
    words = " ".join(f"w{index}" for index in range(20_000))
    body = ask(f"[[echo]] [[speed:1000000]] {words}", max_tokens=32_000)
    message = await folded(http_client(), provider, body)
    assert answer_text(message) == words
    assert message["stop_reason"] == "end_turn"


async def test_two_requests_in_a_row_share_one_kept_alive_connection():
    async with raw_server(answer_each_request) as server, backend_client() as client:
        first = await client.get(server.url)
        second = await client.get(server.url)
        assert (first.text, second.text) == ("ok", "ok")
        assert server.connections == 1
        stream = first.extensions["network_stream"]
        assert isinstance(stream, AsyncioStream)
        assert stream is second.extensions["network_stream"]
        assert stream.get_extra_info("client_addr")[0] == "127.0.0.1"
        assert stream.get_extra_info("server_addr") == ("127.0.0.1", server.port)
        assert stream.get_extra_info("is_readable") is False, "idle and open: nothing to read"


async def test_the_simulator_reuses_the_shared_clients_connection(provider):
    body = ask("[[echo]] again", max_tokens=20)
    client = http_client()
    addresses = set()
    for _ in range(2):
        async with client.stream(
            "POST", provider.messages_url(), json=body, headers={"x-api-key": "sim-test"}
        ) as answer:
            await answer.aread()
            addresses.add(answer.extensions["network_stream"].get_extra_info("client_addr"))
    assert len(addresses) == 1


async def test_a_fast_upstream_fills_the_buffer_only_to_the_high_water_mark():
    body = os.urandom(8 * 1024 * 1024)
    async with raw_server(flood(body)) as server, backend_client() as client:
        async with client.stream("GET", server.url) as answer:
            stream = answer.extensions["network_stream"]
            await asyncio.sleep(0.3)  # the upstream floods while nobody reads
            # The buffer is private; peeking is the only way to see that reading paused.
            buffered = len(stream._protocol.buffer)
            assert HIGH_WATER < buffered <= HIGH_WATER + _TRANSPORT_READ_SIZE
            received = b"".join([chunk async for chunk in answer.aiter_raw()])
        assert hashlib.sha256(received).digest() == hashlib.sha256(body).digest()


async def test_a_large_upload_waits_for_a_slow_reader_and_arrives_whole():
    upload = os.urandom(16 * 1024 * 1024)
    async with raw_server(digest_late) as server, backend_client() as client:
        answer = await client.post(server.url, content=upload)
    assert answer.text == hashlib.sha256(upload).hexdigest()


async def test_the_transports_socket_options_are_set_on_the_connection():
    keepalive = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    transport = httpx.AsyncHTTPTransport(socket_options=keepalive)
    async with raw_server(answer_each_request) as server:
        async with backend_client(transport=transport) as client:
            answer = await client.get(server.url)
            sock = answer.extensions["network_stream"].get_extra_info("socket")
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1


async def test_a_unix_socket_carries_requests_too(tmp_path):
    path = str(tmp_path / "upstream.sock")
    server = await asyncio.start_unix_server(answer_each_request, path)
    async with server, backend_client(transport=httpx.AsyncHTTPTransport(uds=path)) as client:
        answer = await client.get("http://upstream/")
    assert answer.text == "ok"


def test_answers_stream_whole_on_uvloop_too(provider):
    # Daphne serves on uvloop (playground.reactor), whose loop differs from asyncio's in what
    # create_connection accepts; the tests above run on asyncio's.
    uvloop = pytest.importorskip("uvloop")
    text = " ".join(f"u{n}" for n in range(300))

    async def stream() -> dict:
        async with httpx.AsyncClient(timeout=30) as http:
            http._transport._pool._network_backend = AsyncioBackend()
            return await folded(http, provider, ask(f"[[echo]] {text}"))

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        assert answer_text(runner.run(stream())) == text
