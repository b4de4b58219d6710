"""The async upstream client: streaming and plain Messages calls, retries, and "Test key".

Retries (429, 529, other 5xx, failed connections) happen only before the first byte of a
response body has arrived; once anything has been received, even a keep-alive comment, a failure
ends the stream with an error result that keeps the partial message, because repeating the
request would repeat output the user has already seen (and pay for it twice). A ``retry-after``
header is honoured up to ``RetryPolicy.max_retry_after``; a longer wait is not attempted.
Redirects are never followed: a 3xx is an error that says so.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import httpx

from playground.wire.errors import (
    CONNECTION_ERROR,
    INVALID_STREAM,
    MISSING_KEY,
    REDIRECT_ERROR,
    TIMEOUT_ERROR,
    UpstreamError,
    error_from_response,
    redact,
)
from playground.wire.fold import FoldResult, KeepAlive, StreamEvent, StreamFolder
from playground.wire.providers import MissingKey, Provider

__all__ = [
    "KeepAlive",
    "KeyCheck",
    "MessageResult",
    "RetryPolicy",
    "Retrying",
    "StreamEnd",
    "StreamEvent",
    "StreamItem",
    "check_key",
    "create_message",
    "stream_message",
]

# A plain call's outcome has the same shape as a stream's (with no partial message).
MessageResult = FoldResult
_ERROR_BODY_LIMIT = 64 * 1024
_MESSAGE_BODY_LIMIT = 32 * 1024 * 1024


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` counts the first try. Delays double from ``base_delay`` up to ``max_delay``,
    with jitter; a server's ``retry-after`` replaces the delay when it is at most
    ``max_retry_after`` seconds, and stops the retries when it is longer."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def delay(self, *, attempt: int, error: UpstreamError) -> float | None:
        """Seconds to wait before try ``attempt + 1``, or None when there is to be no retry."""
        if attempt >= self.attempts or not error.is_retryable:
            return None
        if error.retry_after is not None:
            return error.retry_after if error.retry_after <= self.max_retry_after else None
        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return backoff * (1 - 0.25 * random.random())  # jitter keeps clients from moving in step


class Retrying(NamedTuple):
    """Try ``attempt`` failed before any output with ``error``; the next starts after ``delay``."""

    attempt: int
    delay: float
    error: UpstreamError


class StreamEnd(NamedTuple):
    """The last item of every stream: the folded message or the error and the partial message."""

    result: FoldResult


type StreamItem = StreamEvent | KeepAlive | Retrying | StreamEnd


@dataclass(frozen=True)
class KeyCheck:
    status: Literal["ok", "bad_key", "unreachable", "error"]
    detail: str


async def stream_message(
    http: httpx.AsyncClient,
    *,
    provider: Provider,
    api_key: str | None,
    body: dict[str, Any],
    retry: RetryPolicy = RetryPolicy(),
) -> AsyncIterator[StreamItem]:
    """POST ``body`` with ``stream: true`` and yield items as they arrive, ending in StreamEnd."""
    try:
        headers = {**provider.auth_headers(api_key), "accept": "text/event-stream"}
    except MissingKey as exc:
        yield StreamEnd(FoldResult(error=UpstreamError(None, MISSING_KEY, str(exc))))
        return
    payload = json.dumps({**body, "stream": True}).encode()
    attempt = 0
    while True:
        attempt += 1
        folder = StreamFolder()
        received = False
        error: UpstreamError | None = None
        try:
            async with _post(http, provider, payload, headers) as response:
                if response.status_code != 200:
                    error = await _error_of(response, api_key)
                elif not _is_event_stream(response):
                    answer = await _read_limited(response, limit=_MESSAGE_BODY_LIMIT)
                    yield StreamEnd(_result_of_json(answer, api_key))
                    return
                else:
                    async for chunk in response.aiter_bytes():
                        received = True
                        for item in folder.feed(chunk):
                            yield item
                        if folder.folder.error is not None:
                            break  # the SDK stops at an error event; so does the fold
                    folder.close()
        except httpx.TimeoutException as exc:
            error = _transport_error(TIMEOUT_ERROR, exc, api_key, midway=received)
        except httpx.TransportError as exc:
            error = _transport_error(CONNECTION_ERROR, exc, api_key, midway=received)
        if received:
            if error is not None:
                folder.folder.fail(error)
            yield StreamEnd(folder.result())
            return
        if error is None:
            error = UpstreamError(
                None, CONNECTION_ERROR, "the upstream closed the stream without sending anything"
            )
        delay = retry.delay(attempt=attempt, error=error)
        if delay is None:
            yield StreamEnd(FoldResult(error=error))
            return
        yield Retrying(attempt=attempt, delay=delay, error=error)
        await asyncio.sleep(delay)


async def create_message(
    http: httpx.AsyncClient,
    *,
    provider: Provider,
    api_key: str | None,
    body: dict[str, Any],
    retry: RetryPolicy = RetryPolicy(),
) -> MessageResult:
    """POST ``body`` without streaming; the message, or the error after any retries."""
    try:
        headers = {**provider.auth_headers(api_key), "accept": "application/json"}
    except MissingKey as exc:
        return FoldResult(error=UpstreamError(None, MISSING_KEY, str(exc)))
    payload = json.dumps({**body, "stream": False}).encode()
    attempt = 0
    while True:
        attempt += 1
        try:
            async with _post(http, provider, payload, headers) as response:
                if response.status_code == 200:
                    answer = await _read_limited(response, limit=_MESSAGE_BODY_LIMIT)
                    return _result_of_json(answer, api_key)
                error = await _error_of(response, api_key)
        except httpx.TimeoutException as exc:
            error = _transport_error(TIMEOUT_ERROR, exc, api_key, midway=False)
        except httpx.TransportError as exc:
            error = _transport_error(CONNECTION_ERROR, exc, api_key, midway=False)
        delay = retry.delay(attempt=attempt, error=error)
        if delay is None:
            return FoldResult(error=error)
        await asyncio.sleep(delay)


async def check_key(
    http: httpx.AsyncClient, *, provider: Provider, api_key: str, model: str | None = None
) -> KeyCheck:
    """Send the smallest request there is and say, in words without the key, how it went."""
    model = model or next(iter(provider.models), None)
    if model is None:
        return KeyCheck("error", f"{provider.name} lists no model to test the key with")
    body: dict[str, Any] = {
        "model": model,
        "max_tokens": 1,
        "messages": [{"role": "user", "content": "Hi"}],
    }
    if "disabled" in provider.profile.thinking_types:
        body["thinking"] = {"type": "disabled"}
    result = await create_message(
        http, provider=provider, api_key=api_key, body=body, retry=RetryPolicy(attempts=1)
    )
    error = result.error
    if error is None:
        return KeyCheck("ok", f"{model} answered")
    detail = redact(_check_detail(error), api_key)
    if error.type in ("authentication_error", MISSING_KEY) or error.status in (401, 403):
        return KeyCheck("bad_key", detail)
    if error.type in (CONNECTION_ERROR, TIMEOUT_ERROR):
        return KeyCheck("unreachable", detail)
    return KeyCheck("error", detail)


def _post(
    http: httpx.AsyncClient, provider: Provider, payload: bytes, headers: dict[str, str]
) -> AbstractAsyncContextManager[httpx.Response]:
    """The request to ``/v1/messages``: its body read as it arrives, redirects never followed."""
    return http.stream(
        "POST", provider.messages_url(), content=payload, headers=headers, follow_redirects=False
    )


def _check_detail(error: UpstreamError) -> str:
    if error.type == "billing_error":
        return f"the key was accepted but the account has insufficient balance ({error.status})"
    status = f"{error.status} " if error.status is not None else ""
    return f"{status}{error.type}: {error.message}"


def _is_event_stream(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith("text/event-stream")


async def _read_limited(response: httpx.Response, *, limit: int = _ERROR_BODY_LIMIT) -> bytes:
    """At most ``limit`` bytes of a body: an error page needs no more; hostile ones get no more."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


async def _error_of(response: httpx.Response, api_key: str | None) -> UpstreamError:
    if response.is_redirect:
        return _redirect_error(response)
    body = await _read_limited(response)
    return error_from_response(response.status_code, response.headers, body, api_key=api_key)


def _redirect_error(response: httpx.Response) -> UpstreamError:
    location = response.headers.get("location", "somewhere else")
    return UpstreamError(
        response.status_code, REDIRECT_ERROR, f"the endpoint redirected to {location}"
    )


def _result_of_json(body: bytes, api_key: str | None) -> FoldResult:
    """A 200 answer in JSON: a whole message (non-streaming, or an endpoint that ignored
    ``stream``), or an error object some proxies send with status 200."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if isinstance(data, Mapping) and data.get("type") == "message":
        return FoldResult(message=dict(data))
    if isinstance(data, Mapping) and "error" in data:
        return FoldResult(error=error_from_response(200, {}, body, api_key=api_key))
    return FoldResult(
        error=UpstreamError(
            200, INVALID_STREAM, "the answer was neither a message nor an event stream"
        )
    )


def _transport_error(
    kind: str, exc: httpx.HTTPError, api_key: str | None, *, midway: bool
) -> UpstreamError:
    words = redact(str(exc) or type(exc).__name__, api_key)
    if midway:
        words = f"the connection was lost in the middle of the answer ({words})"
    return UpstreamError(None, kind, words)
