"""Folding a Messages stream into the message it describes, exactly as the official SDK does.

``MessageFolder`` takes decoded events one at a time and can show the partial message at any
moment; ``StreamFolder`` puts the SSE decoder in front of it, so raw response bytes go in and
typed stream items come out. The semantics follow the SDK's ``accumulate_event`` (anthropic
``lib/streaming/_messages.py``): events before ``message_start`` and a second ``message_start``
are ignored; a ``content_block_start`` appends its block whatever its index says; deltas of a kind
that does not fit their block are ignored; a tool input is the concatenated ``input_json_delta``
text parsed in partial mode, ``{}`` (as started) when none came; ``message_delta`` sets
``stop_reason``, ``stop_sequence`` and ``stop_details`` and overwrites usage counts it carries
(``output_tokens`` always, the others when present and not null). Events are dispatched on their
data's ``type``; ``ping`` and events without an ``event:`` name are not folded.

Where the SDK raises, the folder returns an error result that keeps the partial message: an
``error`` event, a stream that ends before ``message_stop`` (``incomplete_stream``), data that
is not JSON or refers to a block that does not exist (``invalid_stream``), tool input that is not
JSON (``invalid_tool_input``).

Run as ``python -m playground.wire.fold [FILE|-]`` it folds a recorded stream and prints the
result as one JSON object (exit 0 ok, 1 error result, 2 unreadable input).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from playground.wire.errors import (
    INCOMPLETE_STREAM,
    INVALID_STREAM,
    INVALID_TOOL_INPUT,
    UpstreamError,
    error_from_event,
)
from playground.wire.partial_json import parse_partial_json
from playground.wire.sse import SSEDecoder

_OTHER, _TEXT, _THINKING, _TOOL = range(4)
_KIND_BY_TYPE = {"text": _TEXT, "thinking": _THINKING, "tool_use": _TOOL, "server_tool_use": _TOOL}
_PARTS_KEY = {_TEXT: "text", _THINKING: "thinking"}
# Optional counts a message_delta repeats as running totals; null or absent means "unchanged".
_DELTA_USAGE_KEYS = (
    "input_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
    "server_tool_use",
    "output_tokens_details",
)


class StreamEvent(NamedTuple):
    """A decoded event of the stream: its type (from its data) and its data."""

    type: str
    data: dict[str, Any]


class KeepAlive(NamedTuple):
    """A comment line, such as DeepSeek's ``: keep-alive`` while the request waits in a queue."""

    text: str


@dataclass(frozen=True)
class FoldResult:
    """The final message, or the error that ended the stream and the message as far as it got."""

    message: dict[str, Any] | None = None
    error: UpstreamError | None = None
    partial: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        if self.error is None:
            return {"ok": True, "message": self.message}
        return {"ok": False, "error": self.error.to_dict(), "partial": self.partial}


class _InvalidStream(Exception):
    """An event the folder cannot apply; becomes an ``invalid_stream`` error result."""


class _Block:
    """One content block: its dict, and the pieces of its text, thinking or input JSON."""

    __slots__ = ("block", "kind", "parsed_from", "parts")

    def __init__(self, block: dict[str, Any]) -> None:
        self.block = block
        self.kind = _KIND_BY_TYPE.get(str(block.get("type")), _OTHER)
        key = _PARTS_KEY.get(self.kind)
        self.parts: list[str] = [block.get(key) or ""] if key else []
        self.parsed_from = ""  # the input JSON text that block["input"] was parsed from

    def materialise(self, *, strict: bool) -> dict[str, Any]:
        key = _PARTS_KEY.get(self.kind)
        if key:
            if len(self.parts) > 1:
                self.parts = ["".join(self.parts)]
            self.block[key] = self.parts[0]
        elif self.kind == _TOOL and self.parts:
            raw = "".join(self.parts)
            self.parts = [raw]
            if raw != self.parsed_from:
                try:
                    self.block["input"] = parse_partial_json(raw)
                    self.parsed_from = raw
                except ValueError:
                    if strict:
                        raise
        return self.block


class MessageFolder:
    """Applies decoded events to a message; see the module docstring for the exact rules."""

    __slots__ = ("_blocks", "_error", "_message", "_stopped")

    def __init__(self) -> None:
        self._message: dict[str, Any] | None = None
        self._blocks: list[_Block] = []
        self._error: UpstreamError | None = None
        self._stopped = False

    @property
    def started(self) -> bool:
        return self._message is not None

    @property
    def finished(self) -> bool:
        """Whether ``message_stop`` has arrived."""
        return self._stopped

    @property
    def error(self) -> UpstreamError | None:
        return self._error

    def feed(self, event_type: str, data: Mapping[str, Any]) -> None:
        """Apply one event. After an error nothing more is applied, as the SDK stops there."""
        if self._error is not None:
            return
        try:
            if event_type == "content_block_delta":
                if self._message is not None:
                    self._delta(data["index"], data["delta"])
            elif event_type == "error":
                self._error = error_from_event(data)
            elif self._message is None:
                if event_type == "message_start":
                    self._start(data["message"])
            elif event_type == "content_block_start":
                self._blocks.append(_Block(copy.deepcopy(dict(data["content_block"]))))
            elif event_type == "content_block_stop":
                # Nothing to fold, but the SDK fails on a stop for a block never started.
                self._blocks[data["index"]]
            elif event_type == "message_delta":
                self._message_delta(data)
            elif event_type == "message_stop":
                self._stopped = True
        except (_InvalidStream, KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            self.fail(
                UpstreamError(
                    status=None,
                    type=INVALID_STREAM,
                    message=f"a {event_type} event could not be applied ({_describe(exc)})",
                )
            )

    def fail(self, error: UpstreamError) -> None:
        """End the fold with ``error`` (a dropped connection, say); the partial message stays."""
        if self._error is None:
            self._error = error

    def snapshot(self) -> dict[str, Any] | None:
        """The message so far, as a fresh dict the caller may keep; None before message_start."""
        return self._assemble(strict=False)

    def result(self) -> FoldResult:
        if self._error is not None:
            return FoldResult(error=self._error, partial=self.snapshot())
        if self._message is None:
            return FoldResult(
                error=UpstreamError(
                    status=None,
                    type=INCOMPLETE_STREAM,
                    message="the stream ended before message_start",
                )
            )
        if not self._stopped:
            return FoldResult(
                error=UpstreamError(
                    status=None,
                    type=INCOMPLETE_STREAM,
                    message="the stream ended before message_stop",
                ),
                partial=self.snapshot(),
            )
        try:
            return FoldResult(message=self._assemble(strict=True))
        except ValueError as exc:
            error = UpstreamError(
                status=None, type=INVALID_TOOL_INPUT, message=f"tool input is not JSON: {exc}"
            )
            return FoldResult(error=error, partial=self.snapshot())

    def _start(self, message: Mapping[str, Any]) -> None:
        started = copy.deepcopy(dict(message))
        self._blocks = [_Block(dict(block)) for block in started.get("content") or ()]
        self._message = started

    def _delta(self, index: int, delta: Mapping[str, Any]) -> None:
        block = self._blocks[index]
        kind = delta["type"]
        if kind == "text_delta":
            if block.kind == _TEXT:
                block.parts.append(_string(delta["text"]))
        elif kind == "thinking_delta":
            if block.kind == _THINKING:
                block.parts.append(_string(delta["thinking"]))
        elif kind == "input_json_delta":
            if block.kind == _TOOL:
                block.parts.append(_string(delta["partial_json"]))
        elif kind == "signature_delta":
            if block.kind == _THINKING:
                block.block["signature"] = _string(delta["signature"])
        elif kind == "citations_delta":
            if block.kind == _TEXT:
                citation = copy.deepcopy(delta["citation"])
                if block.block.get("citations"):
                    block.block["citations"].append(citation)
                else:
                    block.block["citations"] = [citation]

    def _message_delta(self, data: Mapping[str, Any]) -> None:
        message = self._message
        assert message is not None
        delta = data["delta"]
        message["stop_reason"] = delta.get("stop_reason")
        message["stop_sequence"] = delta.get("stop_sequence")
        message["stop_details"] = copy.deepcopy(delta.get("stop_details"))
        if delta.get("container") is not None:
            message["container"] = copy.deepcopy(delta["container"])
        counts = data.get("usage")
        if isinstance(counts, Mapping):
            usage = message.setdefault("usage", {})
            usage["output_tokens"] = counts.get("output_tokens")
            for key in _DELTA_USAGE_KEYS:
                if counts.get(key) is not None:
                    usage[key] = copy.deepcopy(counts[key])

    def _assemble(self, *, strict: bool) -> dict[str, Any] | None:
        if self._message is None:
            return None
        message = dict(self._message)
        message["content"] = [block.materialise(strict=strict) for block in self._blocks]
        return copy.deepcopy(message)


class StreamFolder:
    """Raw SSE bytes in; stream items out, each already folded into ``folder``."""

    __slots__ = ("decoder", "events", "folder")

    def __init__(self) -> None:
        self.decoder = SSEDecoder()
        self.folder = MessageFolder()
        self.events = 0  # events dispatched by the decoder (comments not counted)

    def feed(self, chunk: bytes) -> list[StreamEvent | KeepAlive]:
        items: list[StreamEvent | KeepAlive] = []
        folder = self.folder
        for sse in self.decoder.feed(chunk):
            if sse.comment is not None:
                items.append(KeepAlive(sse.comment))
                continue
            self.events += 1
            name = sse.event
            if name is None or not sse.data:
                continue
            data = _parse_json(sse.data)
            if name == "error":
                if not isinstance(data, dict):
                    data = {"type": "error", "error": {"type": "api_error", "message": sse.data}}
                folder.feed("error", data)
                items.append(StreamEvent("error", data))
                continue
            if not isinstance(data, dict):
                folder.fail(
                    UpstreamError(
                        status=None,
                        type=INVALID_STREAM,
                        message=f"the data of a {name} event is not a JSON object",
                    )
                )
                continue
            event_type = data.get("type")
            if not isinstance(event_type, str):
                event_type = name
            if name != "ping":
                folder.feed(event_type, data)
            items.append(StreamEvent(event_type, data))
        return items

    def close(self) -> None:
        """The bytes have ended. An event cut off mid-way is lost (as the standard says); if
        the message was not finished, say that this is where the stream broke."""
        if self.decoder.has_partial_event and not self.folder.finished:
            self.folder.fail(
                UpstreamError(
                    status=None,
                    type=INCOMPLETE_STREAM,
                    message="the stream ended in the middle of an event",
                )
            )
        self.decoder.close()

    def result(self) -> FoldResult:
        return self.folder.result()


def fold_bytes(raw: bytes) -> FoldResult:
    """Fold a whole recorded stream."""
    folder = StreamFolder()
    folder.feed(raw)
    folder.close()
    return folder.result()


_scan_json = json.JSONDecoder().scan_once


def _parse_json(text: str) -> Any:
    """The JSON value of ``text``, or None if it is not JSON.

    The scanner json.loads uses, called directly, costs half as much per event on this hot
    path; text it does not take whole (whitespace around the value, or not JSON at all) goes to
    json.loads, which decides.
    """
    try:
        value, end = _scan_json(text, 0)
    except (StopIteration, ValueError):
        end = -1
    if end == len(text):
        return value
    try:
        return json.loads(text)
    except ValueError:
        return None


def _string(value: Any) -> str:
    if type(value) is not str:
        raise _InvalidStream(f"expected a string, got {type(value).__name__}")
    return value


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    if isinstance(exc, IndexError):
        return "it refers to a content block that was never started"
    return str(exc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m playground.wire.fold",
        description="Fold a recorded Messages SSE stream and print the result as JSON.",
    )
    parser.add_argument("file", nargs="?", default="-", help="the transcript; - for stdin")
    args = parser.parse_args(argv)
    try:
        if args.file == "-":
            raw = sys.stdin.buffer.read()
        else:
            raw = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"fold: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    folder = StreamFolder()
    folder.feed(raw)
    folder.close()
    if folder.events == 0:
        print(f"fold: no server-sent events in {args.file}", file=sys.stderr)
        return 2
    result = folder.result()
    sys.stdout.buffer.write(json.dumps(result.to_dict(), ensure_ascii=False).encode() + b"\n")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
