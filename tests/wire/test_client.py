"""The upstream client against the real Simulator over loopback HTTP: streams, retries before
the first byte only, errors in words, and "Test key"."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from playground.wire.client import (
    KeepAlive,
    KeyCheck,
    Retrying,
    RetryPolicy,
    StreamEnd,
    StreamEvent,
    check_key,
    create_message,
    stream_message,
)
from playground.wire.profiles import SIMULATOR
from playground.wire.providers import AuthScheme, Provider, builtin_providers
from playground.wire.request import build_request

FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def provider(simulator) -> Provider:
    return builtin_providers(
        deepseek_base_url="https://api.deepseek.com/anthropic",
        evolink_base_url="https://direct.evolink.ai",
        simulator_base_url=simulator.base_url,
    )["simulator"]


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(30, connect=5)) as client:
        yield client


def ask(text: str, *, thinking: str = "disabled", max_tokens: int = 400) -> dict:
    params = {
        "model": "deepseek-v4-flash",
        "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": text}],
        "thinking": {"type": thinking},
    }
    return build_request(params, profile=SIMULATOR).body


async def collect(http, provider, body, *, api_key=None, retry=FAST_RETRY) -> list:
    return [
        item
        async for item in stream_message(
            http, provider=provider, api_key=api_key, body=body, retry=retry
        )
    ]


def final(items: list):
    assert isinstance(items[-1], StreamEnd)
    assert sum(isinstance(item, StreamEnd) for item in items) == 1
    return items[-1].result


def answer_text(message: dict) -> str:
    return "".join(block["text"] for block in message["content"] if block["type"] == "text")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unreachable_provider() -> Provider:
    return Provider(
        slug="custom-1",
        name="Nowhere",
        base_url=f"http://127.0.0.1:{free_port()}",
        auth_scheme=AuthScheme.X_API_KEY,
        models=("deepseek-v4-flash",),
        profile=SIMULATOR,
    )


async def test_a_streamed_answer_arrives_event_by_event_and_folds_into_the_message(http, provider):
    items = await collect(http, provider, ask("[[echo]] Bonjour, le monde !"))
    result = final(items)
    assert result.ok, result.error
    assert answer_text(result.message) == "Bonjour, le monde !"
    types = [item.type for item in items if isinstance(item, StreamEvent)]
    assert types[0] == "message_start"
    assert types[-1] == "message_stop"
    assert "content_block_delta" in types
    assert result.message["stop_reason"] == "end_turn"
    assert result.message["usage"]["output_tokens"] > 0


async def test_thinking_arrives_with_its_signature(http, provider):
    result = final(await collect(http, provider, ask("Why is the sky blue?", thinking="enabled")))
    thinking = [block for block in result.message["content"] if block["type"] == "thinking"]
    assert thinking and thinking[0]["thinking"] and thinking[0]["signature"]


async def test_keep_alives_while_queued_come_before_the_answer(http, provider):
    items = await collect(http, provider, ask("[[fault:queued]] [[echo]] at last"))
    first_event = next(i for i, item in enumerate(items) if isinstance(item, StreamEvent))
    assert first_event > 0
    assert all(isinstance(item, KeepAlive) for item in items[:first_event])
    assert answer_text(final(items).message) == "at last"


async def test_a_rate_limit_before_the_answer_is_retried_after_the_retry_after_delay(
    http, provider, simulator
):
    started = time.monotonic()
    items = await collect(http, provider, ask("[[fault:rate_limit:1]] [[echo]] patience"))
    retries = [item for item in items if isinstance(item, Retrying)]
    assert len(retries) == 1
    assert retries[0].error.status == 429
    assert retries[0].delay == simulator.config.retry_after_seconds
    assert time.monotonic() - started >= simulator.config.retry_after_seconds
    assert answer_text(final(items).message) == "patience"


@pytest.mark.parametrize(
    ("fault", "status"), [("overloaded", 503), ("overloaded_529", 529), ("server_error", 500)]
)
async def test_overload_and_server_errors_before_the_answer_are_retried(
    http, provider, fault, status
):
    items = await collect(http, provider, ask(f"[[fault:{fault}:2]] [[echo]] third time"))
    retries = [item for item in items if isinstance(item, Retrying)]
    assert [retry.error.status for retry in retries] == [status, status]
    assert [retry.attempt for retry in retries] == [1, 2]
    assert answer_text(final(items).message) == "third time"


async def test_retries_stop_after_the_last_attempt_with_the_error(http, provider):
    policy = RetryPolicy(attempts=2, base_delay=0.01)
    items = await collect(http, provider, ask("[[fault:overloaded]] hi"), retry=policy)
    assert sum(isinstance(item, Retrying) for item in items) == 1
    result = final(items)
    assert result.error.status == 503
    assert result.error.type == "overloaded_error"
    assert result.partial is None


async def test_a_retry_after_longer_than_the_policy_allows_is_not_waited_for(http, provider):
    policy = RetryPolicy(max_retry_after=0.5)
    items = await collect(http, provider, ask("[[fault:rate_limit]] hi"), retry=policy)
    assert not any(isinstance(item, Retrying) for item in items)
    error = final(items).error
    assert error.type == "rate_limit_error"
    assert "Try again in 1 s" in error.user_message()


async def test_insufficient_balance_is_not_retried(http, provider):
    items = await collect(http, provider, ask("[[fault:insufficient_balance]] hi"))
    assert not any(isinstance(item, Retrying) for item in items)
    assert final(items).error.type == "billing_error"
    assert final(items).error.status == 402


async def test_an_overload_after_output_began_is_never_retried_and_keeps_the_partial(
    http, provider
):
    # With ":1" a retry would succeed; the error result proves there was none.
    items = await collect(
        http, provider, ask("[[fault:overloaded_mid:1]] [[echo]] " + "word " * 60)
    )
    assert not any(isinstance(item, Retrying) for item in items)
    result = final(items)
    assert result.error.type == "overloaded_error"
    assert result.error.status is None
    assert result.partial is not None
    assert answer_text(result.partial).startswith("word")


async def test_a_connection_dropped_mid_stream_is_never_retried_and_keeps_the_partial(
    http, provider
):
    items = await collect(http, provider, ask("[[fault:drop:1]] [[echo]] " + "word " * 60))
    assert not any(isinstance(item, Retrying) for item in items)
    result = final(items)
    assert result.error.type == "connection_error"
    assert result.error.message.startswith("the connection was lost in the middle of the answer")
    assert answer_text(result.partial).startswith("word")


async def test_a_slow_first_byte_is_waited_for(http, provider):
    result = final(await collect(http, provider, ask("[[fault:slow_first_byte]] [[echo]] late")))
    assert answer_text(result.message) == "late"


async def test_a_rejected_key_is_an_authentication_error_that_never_shows_the_key(http, provider):
    key = "wrong-key-0123456789abcdef"
    items = await collect(http, provider, ask("hi"), api_key=key)
    assert not any(isinstance(item, Retrying) for item in items)
    error = final(items).error
    assert (error.status, error.type) == (401, "authentication_error")
    assert key not in error.message
    assert (
        error.user_message() == "The API key was rejected (401). Check the key for this provider."
    )


async def test_an_unreachable_endpoint_is_retried_then_reported(http):
    items = await collect(http, unreachable_provider(), ask("hi"), api_key="sim-x")
    assert [item.attempt for item in items if isinstance(item, Retrying)] == [1, 2]
    error = final(items).error
    assert error.type == "connection_error"
    assert error.status is None


async def test_a_missing_key_fails_without_sending_anything(http):
    items = await collect(http, unreachable_provider(), ask("hi"), api_key=None)
    assert len(items) == 1
    assert final(items).error.type == "missing_key"
    assert final(items).error.user_message() == "No API key is set for Nowhere."


@contextlib.asynccontextmanager
async def loopback_server(response: bytes) -> AsyncIterator[tuple[Provider, list[bytes]]]:
    """A real HTTP server on loopback that gives every request the same raw ``response``, for
    answers the Simulator never gives; yields a provider for it and the request lines seen."""
    request_lines: list[bytes] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request_lines.append(await reader.readline())
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        writer.write(response)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    provider = Provider(
        slug="custom-2",
        name="Loopback",
        base_url=f"http://127.0.0.1:{port}",
        auth_scheme=AuthScheme.BEARER,
        models=("m",),
        profile=SIMULATOR,
    )
    async with server:
        yield provider, request_lines


async def test_a_redirect_is_an_error_and_is_not_followed(http):
    redirect = (
        b"HTTP/1.1 307 Temporary Redirect\r\nLocation: /elsewhere/v1/messages\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    async with loopback_server(redirect) as (redirecting, request_lines):
        items = await collect(http, redirecting, ask("hi"), api_key="k")
        created = await create_message(http, provider=redirecting, api_key="k", body=ask("hi"))
    for result in (final(items), created):
        assert result.error.type == "redirect_error"
        assert result.error.status == 307
        assert "redirected to /elsewhere/v1/messages" in result.error.message
    assert [line.split()[1] for line in request_lines] == [b"/v1/messages"] * 2


async def test_an_endpoint_that_answers_a_stream_request_with_json_still_gives_the_message(http):
    message = {
        "id": "msg_json",
        "type": "message",
        "role": "assistant",
        "model": "m",
        "content": [{"type": "text", "text": "not streamed"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 2},
    }
    body = json.dumps(message).encode()
    response = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    async with loopback_server(response) as (endpoint, _):
        items = await collect(http, endpoint, ask("hi"), api_key="k")
    assert len(items) == 1
    assert final(items).message == message


async def test_an_html_error_page_from_a_proxy_is_reported_in_words(http):
    page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    response = (
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n"
        + f"Content-Length: {len(page)}\r\n\r\n".encode()
        + page
    )
    async with loopback_server(response) as (proxy, request_lines):
        items = await collect(http, proxy, ask("hi"), api_key="k")
    assert len(request_lines) == 3  # retried, as a 5xx before any output may be
    assert final(items).error.user_message() == "The upstream failed (502): 502 Bad Gateway."


async def test_create_message_returns_the_whole_message(http, provider):
    result = await create_message(http, provider=provider, api_key=None, body=ask("[[echo]] plain"))
    assert result.ok
    assert result.message["type"] == "message"
    assert answer_text(result.message) == "plain"


async def test_create_message_retries_before_the_answer(http, provider):
    body = ask("[[fault:server_error:1]] [[echo]] again")
    result = await create_message(
        http, provider=provider, api_key=None, body=body, retry=FAST_RETRY
    )
    assert answer_text(result.message) == "again"


async def test_check_key_says_ok_for_a_working_key(http, provider):
    check = await check_key(http, provider=provider, api_key="sim-mine")
    assert check.status == "ok"


async def test_check_key_says_bad_key_without_repeating_the_key(http, provider):
    key = "not-a-simulator-key-123456"
    check = await check_key(http, provider=provider, api_key=key)
    assert check.status == "bad_key"
    assert "401" in check.detail
    assert key not in check.detail


async def test_check_key_says_unreachable_when_nothing_answers(http):
    check = await check_key(http, provider=unreachable_provider(), api_key="sim-x")
    assert check.status == "unreachable"
    assert check.detail


async def test_check_key_needs_a_model_to_ask(http, provider):
    modelless = Provider(
        slug="custom-4",
        name="Bare endpoint",
        base_url=provider.base_url,
        auth_scheme=AuthScheme.X_API_KEY,
        models=(),
        profile=SIMULATOR,
    )
    check = await check_key(http, provider=modelless, api_key="sim-x")
    assert check == KeyCheck("error", "Bare endpoint lists no model to test the key with")
    assert (
        await check_key(http, provider=modelless, api_key="sim-x", model="deepseek-v4-pro")
    ).status == "ok"
