"""Generations: the tasks that stream answers from the upstream, whoever is watching.

A generation belongs to no socket. ``generation_start`` registers it in this process under its
assistant message id (the registry holds the strong reference that keeps its task alive) and it
runs until the answer ends, fails or is stopped; closing every socket changes nothing. Its life:

1. frame 1 places the empty answer in every viewer's page;
2. each upstream item is folded by the wire folder (what is stored) and applied to the live view
   (what is shown); a publisher sends what arrived as one frame, the first token at once and
   then at most one frame per coalescing window, and checkpoints the partial answer at most
   once per checkpoint interval (and at least once per heartbeat, so that other processes see
   it is alive);
3. the final write, once; then, the write committed, the last frame: the final footer and the
   request that fetches the finished answer, rendered, from ``/m/<id>/``.

Frames go to the conversation's channel-layer group as ``{"type": "stream.frame", "message_id",
"seq", "html", "final"}``; the HTML is rendered once here, not once per viewer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings

from playground.accounts.ssrf import UnsafeEndpoint
from playground.conversations.inspector import masked_headers
from playground.conversations.models import Message
from playground.conversations.pricing import cost_estimate
from playground.streaming import fragments
from playground.streaming.checkpoints import checkpoint_save
from playground.streaming.live import OPENING_SEQ, LiveMessage
from playground.streaming.store import HEARTBEAT_SECONDS, answer_finish
from playground.streaming.timeline import StreamTimeline
from playground.upstream import guard_provider, http_client_for
from playground.wire.client import (
    KeepAlive,
    Retrying,
    RetryPolicy,
    StreamEnd,
    StreamEvent,
    stream_message,
)
from playground.wire.errors import UpstreamError, user_message
from playground.wire.fold import FoldResult, MessageFolder
from playground.wire.providers import Provider

logger = logging.getLogger("playground.streaming")

FRAME_EVENT = "stream.frame"
# Frames before the first token (a block's empty shell, a status) open no window: the first
# token goes out as it arrives, not held behind them. A few at most, whatever the upstream sends.
_UNPACED_FRAMES = OPENING_SEQ + 4
WAITING = "Waiting for the answer…"
QUEUED = "Queued by the provider…"
_RETRY_REASONS = {
    "rate_limit_error": "Rate limited",
    "overloaded_error": "The provider is overloaded",
    "connection_error": "The connection failed",
    "timeout_error": "The provider did not answer in time",
}
_INTERNAL_ERROR = {
    "type": "internal_error",
    "message": "The playground failed while relaying this answer; what arrived is kept.",
    "status": None,
}


def conversation_group(conversation_id: int) -> str:
    return f"conversation-{conversation_id}"


@dataclass(frozen=True, kw_only=True)
class GenerationSpec:
    """Everything a generation needs. ``api_key`` is the plaintext, held in memory only.

    ``before_html`` goes into the page just before the answer (the user's new message);
    ``replaces_message_id`` is the failed answer a retry takes the place of.
    """

    message_id: int
    conversation_id: int
    provider: Provider
    api_key: str | None = field(repr=False)
    body: dict[str, Any]
    warnings: list[str]
    before_html: str = ""
    replaces_message_id: int | None = None


_running: dict[int, Generation] = {}


def generation_start(spec: GenerationSpec) -> Generation:
    """Start streaming ``spec``'s answer in this process; it runs until it ends, whoever watches."""
    generation = Generation(spec)
    _running[spec.message_id] = generation
    generation.task = asyncio.get_running_loop().create_task(
        generation.run(), name=f"generation-{spec.message_id}"
    )
    return generation


def generation_get(message_id: int) -> Generation | None:
    """The generation writing this answer, if it runs in this process."""
    return _running.get(message_id)


def generation_stop(message_id: int) -> bool:
    """Stop the answer if this process writes it; False if it does not."""
    generation = _running.get(message_id)
    if generation is None:
        return False
    generation.stop()
    return True


def running_ids() -> frozenset[int]:
    return frozenset(_running)


class Generation:
    def __init__(self, spec: GenerationSpec) -> None:
        self.spec = spec
        self.live = LiveMessage(
            message_id=spec.message_id,
            conversation_id=spec.conversation_id,
            model=str(spec.body.get("model", "")),
            status=WAITING,
            before_html=spec.before_html,
            replaces_message_id=spec.replaces_message_id,
        )
        self.folder = MessageFolder()
        self.task: asyncio.Task[None] | None = None
        self._reader: asyncio.Task[FoldResult] | None = None
        self._wake = asyncio.Event()
        self._closing = False
        self._stop_requested = False
        self._checkpoint: asyncio.Task[None] | None = None
        self._saved_seq = OPENING_SEQ
        self._coalesce = settings.PLAYGROUND_COALESCE_MS / 1000
        self._frame_budget = max(1, settings.PLAYGROUND_FRAME_BUDGET)
        self._checkpoint_every = settings.PLAYGROUND_CHECKPOINT_SECONDS
        self._started = time.monotonic()
        self._last_write = self._started
        self._first_token: float | None = None
        self.timeline = StreamTimeline(started=self._started)
        self._written = False  # the final write is done
        self._layer = get_channel_layer()
        self._group = conversation_group(spec.conversation_id)

    def stop(self) -> None:
        """Cancel the upstream request; the generation then saves what arrived as stopped."""
        self._stop_requested = True
        if self._reader is not None:
            self._reader.cancel()

    async def run(self) -> None:
        publisher: asyncio.Task[None] | None = None
        try:
            await self._send(self.live.opening_frame(), seq=self.live.seq)
            self._reader = asyncio.create_task(self._read())
            if self._stop_requested:
                self._reader.cancel()
            publisher = asyncio.create_task(self._publish())
            ending = await self._ending()
            self._closing = True
            self._wake.set()
            await publisher
            await self._finish(**ending)
        except asyncio.CancelledError:
            # The process is going away: record what arrived, then let the cancellation go on.
            await self._salvage(publisher, state=Message.State.INTERRUPTED)
            raise
        except Exception:
            logger.exception("generation %s failed", self.spec.message_id)
            await self._salvage(publisher, state=Message.State.ERROR, error=_INTERNAL_ERROR)
        finally:
            _running.pop(self.spec.message_id, None)

    async def _salvage(
        self, publisher: asyncio.Task[None] | None, *, state: str, error: dict | None = None
    ) -> None:
        """Best effort, after the unexpected: keep what arrived, unless the end was written."""
        if publisher is not None:
            publisher.cancel()
        if self._reader is not None:
            self._reader.cancel()
        if not self._written:
            with contextlib.suppress(Exception):
                await self._finish(state=state, message=self.folder.snapshot(), error=error)

    # --- reading the upstream ---

    async def _read(self) -> FoldResult:
        try:
            await guard_provider(self.spec.provider)
        except UnsafeEndpoint as refusal:
            return FoldResult(error=UpstreamError(None, "unsafe_endpoint", str(refusal)))
        retry = RetryPolicy(attempts=settings.PLAYGROUND_UPSTREAM_RETRIES + 1)
        async for item in stream_message(
            http_client_for(self.spec.provider),
            provider=self.spec.provider,
            api_key=self.spec.api_key,
            body=self.spec.body,
            retry=retry,
        ):
            if isinstance(item, StreamEnd):
                return item.result
            self._take(item)
        raise RuntimeError("the upstream client ended without its StreamEnd item")

    def _take(self, item: StreamEvent | KeepAlive | Retrying) -> None:
        changed = False
        if isinstance(item, StreamEvent):
            self.timeline.event(item.type, item.data)
            self.folder.feed(item.type, item.data)
            # Shown only what the folder keeps (nothing before message_start or after an error),
            # so that a checkpoint holds exactly what the frames showed.
            if self.folder.started and self.folder.error is None:
                changed = self.live.apply(item.type, item.data)
            if changed and self._first_token is None and item.type == "content_block_delta":
                self._first_token = time.monotonic()
                self.live.set_status("")
        elif isinstance(item, KeepAlive):
            self.timeline.keepalives += 1
            changed = not self.folder.started and self.live.set_status(QUEUED)
        else:
            self.timeline.retries += 1
            changed = self.live.set_status(_retry_words(item))
        if changed:
            self._wake.set()

    async def _ending(self) -> dict[str, Any]:
        """How the answer ended: the keyword arguments of ``_finish``."""
        assert self._reader is not None
        try:
            result = await self._reader
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            return {"state": Message.State.STOPPED, "message": self.folder.snapshot()}
        except Exception:
            logger.exception("generation %s failed reading the upstream", self.spec.message_id)
            return {
                "state": Message.State.ERROR,
                "message": self.folder.snapshot(),
                "error": _INTERNAL_ERROR,
            }
        if result.error is None:
            return {"state": Message.State.COMPLETE, "message": result.message}
        return {
            "state": Message.State.ERROR,
            "message": result.partial,
            "error": _error_words(result.error),
        }

    # --- publishing and checkpoints ---

    async def _publish(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=HEARTBEAT_SECONDS)
            self._wake.clear()
            closing = self._closing
            html = self.live.take_frame()
            seq = self.live.seq
            content = None if closing else self._checkpoint_due()
            if html is not None:
                await self._send(html, seq=seq)
            if content is not None:
                self._checkpoint = asyncio.create_task(self._save(content, seq))
            if closing:
                return
            if self._first_token is not None or self.live.seq > _UNPACED_FRAMES:
                await asyncio.sleep(self._window())

    def _window(self) -> float:
        """Seconds until the next frame: the coalescing window, widened when so many answers
        stream in this process that their frames would exceed the process's frame budget."""
        return max(self._coalesce, len(_running) / self._frame_budget)

    def _checkpoint_due(self) -> list[dict[str, Any]] | None:
        """The content to save now, or None. Called right after a frame is taken, when the folder
        holds exactly what frames 1..seq showed."""
        if self._checkpoint is not None and not self._checkpoint.done():
            return None
        now = time.monotonic()
        elapsed = now - self._last_write
        changed = self.live.seq > self._saved_seq
        if not (changed and elapsed >= self._checkpoint_every) and elapsed < HEARTBEAT_SECONDS:
            return None
        self._last_write = now
        snapshot = self.folder.snapshot()
        return snapshot["content"] if snapshot else []

    async def _save(self, content: list[dict[str, Any]], seq: int) -> None:
        try:
            still_streaming = await checkpoint_save(
                message_id=self.spec.message_id, content=content, seq=seq
            )
        except Exception:
            logger.exception("checkpoint of generation %s failed", self.spec.message_id)
            return
        if still_streaming:
            self._saved_seq = seq
        else:  # stopped from another process, or the conversation was deleted
            self.stop()

    async def _send(self, html: str, *, seq: int, final: bool = False) -> None:
        await self._layer.group_send(
            self._group,
            {
                "type": FRAME_EVENT,
                "message_id": self.spec.message_id,
                "seq": seq,
                "html": html,
                "final": final,
            },
        )

    # --- the end ---

    async def _finish(
        self, *, state: str, message: dict[str, Any] | None, error: dict[str, Any] | None = None
    ) -> None:
        if self._checkpoint is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._checkpoint  # a late checkpoint must not overwrite the final state
        fields = self._final_fields(state=state, message=message or {}, error=error)
        await answer_finish(message_id=self.spec.message_id, fields=fields)
        self._written = True
        closing = fragments.footer_html(_footer_context(self.spec.message_id, fields))
        closing += fragments.final_fetch(message_id=self.spec.message_id)
        html = self.live.take_frame(closing=closing)
        assert html is not None and self.live.seq == fields["seq"]
        await self._send(html, seq=self.live.seq, final=True)

    def _final_fields(
        self, *, state: str, message: dict[str, Any], error: dict[str, Any] | None
    ) -> dict[str, Any]:
        end = time.monotonic()
        usage = message.get("usage")
        output_tokens = usage.get("output_tokens") if isinstance(usage, dict) else None
        first = self._first_token
        rate = None
        if first is not None and isinstance(output_tokens, int) and end > first:
            rate = round(output_tokens / (end - first), 1)
        return {
            "state": state,
            "content": message.get("content") or [],
            "error": error,
            "request": self.spec.body,
            "model": str(message.get("model") or self.spec.body.get("model", ""))[:256],
            "upstream_id": str(message.get("id") or "")[:128],
            "usage": usage,
            "stop_reason": str(message.get("stop_reason") or "")[:32],
            "stop_sequence": message.get("stop_sequence"),
            "warnings": self.spec.warnings,
            "first_token_ms": _ms(first - self._started) if first is not None else None,
            "duration_ms": _ms(end - self._started),
            "output_tokens_per_second": rate,
            "seq": self.live.seq + 1,
            "timeline": self.timeline.as_json(
                request_headers=masked_headers(
                    provider=self.spec.provider, api_key=self.spec.api_key
                )
            ),
        }


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _retry_words(item: Retrying) -> str:
    error = item.error
    reason = _RETRY_REASONS.get(error.type)
    if reason is None:
        reason = f"The provider failed ({error.status})" if error.status else "The provider failed"
    return f"{reason}, retrying in {max(1, round(item.delay))} s"


def _error_words(error: UpstreamError) -> dict[str, Any]:
    if error.type == "unsafe_endpoint":
        words = f"The server refused to call this endpoint: {error.message}"
    else:
        words = user_message(error)
    return {"type": error.type, "message": words, "status": error.status}


def _footer_context(message_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "role": "assistant",
        "status": "",
        "cost": cost_estimate(model=fields["model"], usage=fields["usage"]),
        **{
            name: fields[name]
            for name in (
                "state",
                "error",
                "usage",
                "stop_reason",
                "stop_sequence",
                "model",
                "first_token_ms",
                "duration_ms",
                "output_tokens_per_second",
            )
        },
    }
