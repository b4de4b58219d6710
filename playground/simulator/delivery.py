"""Sending a composed answer: as server-sent events paced at a speed, or as one JSON body, with
the faults that strike after the status line (``queued``, ``overloaded_mid``, ``drop``)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

from playground.simulator import errors
from playground.simulator.answer import Answer
from playground.simulator.config import SimulatorConfig
from playground.simulator.pacing import GRANULARITY, Pacer
from playground.simulator.sse import KEEPALIVE, Frame, answer_frames, sse_event
from playground.simulator.transport import (
    Send,
    abort_connection,
    encode_headers,
    json_bytes,
    send_json,
)

FLUSH_BYTES = 16 * 1024
# Deltas sent before the overloaded_mid and drop faults strike (fewer if the answer is short).
DELTAS_BEFORE_MID_STREAM_FAULT = 5
_MID_STREAM_FAULTS = ("overloaded_mid", "drop")


async def send_error(send: Send, reply: errors.ErrorReply, *, request_id: str) -> None:
    headers = [("request-id", request_id), *reply.headers]
    await send_json(send, status=reply.status, payload=reply.body, headers=headers)


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """One response under way: where it goes, whether the client left, which fault applies."""

    send: Send
    request_id: str
    gone: asyncio.Event
    config: SimulatorConfig
    fault: str | None

    async def stream(self, answer: Answer, pacer: Pacer) -> None:
        await self._start("text/event-stream; charset=utf-8")
        if self.fault == "queued":
            await self._queue(KEEPALIVE)
        # Framed as they go out, so that a stream's first bytes do not wait for its last ones
        # to be encoded (with many requests at once, they would wait for everyone's).
        frames: Iterable[Frame] = answer_frames(answer)
        strike_at = None
        if self.fault in _MID_STREAM_FAULTS:
            frames = list(frames)
            strike_at = _mid_stream_fault_position(frames)
        buffer = bytearray()
        deltas = 0
        for position, frame in enumerate(frames):
            if self.gone.is_set():
                return
            if position == strike_at:
                break
            if frame.is_delta:
                # Tokens not yet due are held back; short waits are not slept but batched.
                wait = pacer.wait_for(frame.tokens)
                if wait >= GRANULARITY:
                    await self._flush(buffer)
                    await asyncio.sleep(wait)
                deltas += 1
            buffer += frame.data
            # The frames before the first delta go out at once: clients time the first byte.
            if len(buffer) >= FLUSH_BYTES or not deltas:
                await self._flush(buffer)
                await asyncio.sleep(0)
        if self.fault == "drop":
            await self._flush(buffer)
            await abort_connection(self.send)
            return
        if self.fault == "overloaded_mid":
            error = errors.anthropic_error_body(kind="overloaded_error", message="Overloaded")
            buffer += sse_event("error", error)
        await self.send({"type": "http.response.body", "body": bytes(buffer)})

    async def whole(self, answer: Answer, pacer: Pacer) -> None:
        if self.fault == "overloaded_mid":
            await send_error(self.send, errors.overloaded_529(), request_id=self.request_id)
            return
        body = json_bytes(answer.message())
        if self.fault == "queued":
            # DeepSeek keeps a waiting non-streaming request alive with blank lines before the JSON.
            await self._start("application/json")
            await self._queue(b"\n")
        await asyncio.sleep(max(0.0, pacer.wait_for(answer.output_tokens)))
        if self.gone.is_set():
            return
        if self.fault == "queued":
            await self.send({"type": "http.response.body", "body": body})
            return
        await self._start("application/json", content_length=len(body))
        if self.fault == "drop":
            half = {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            await self.send(half)
            await abort_connection(self.send)
            return
        await self.send({"type": "http.response.body", "body": body})

    async def _start(self, content_type: str, *, content_length: int | None = None) -> None:
        headers = [("content-type", content_type), ("request-id", self.request_id)]
        if content_type.startswith("text/event-stream"):
            headers += [("cache-control", "no-cache"), ("x-accel-buffering", "no")]
        if content_length is not None:
            headers.append(("content-length", str(content_length)))
        await self.send(
            {"type": "http.response.start", "status": 200, "headers": encode_headers(headers)}
        )

    async def _queue(self, keepalive: bytes) -> None:
        """Hold the request "in the queue": a keep-alive every interval for ``queue_seconds``."""
        loop = asyncio.get_running_loop()
        until = loop.time() + self.config.queue_seconds
        while (left := until - loop.time()) > 0 and not self.gone.is_set():
            await self.send({"type": "http.response.body", "body": keepalive, "more_body": True})
            await asyncio.sleep(min(left, self.config.keepalive_interval))

    async def _flush(self, buffer: bytearray) -> None:
        if buffer:
            await self.send(
                {"type": "http.response.body", "body": bytes(buffer), "more_body": True}
            )
            buffer.clear()


def _mid_stream_fault_position(frames: list[Frame]) -> int:
    """Where a mid-stream fault strikes: after some deltas, always before ``message_delta``."""
    deltas = [position for position, frame in enumerate(frames) if frame.is_delta]
    if not deltas:
        return len(frames) - 2
    return deltas[min(DELTAS_BEFORE_MID_STREAM_FAULT, len(deltas) // 2)]
