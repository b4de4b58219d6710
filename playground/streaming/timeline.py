"""How one answer's stream went, for the inspector: what the generation notes as events arrive.

Counts of SSE events by type, keep-alive comments and retries, and the moments that matter, in
milliseconds from the moment the request was sent: the first thinking delta, the first text
delta, and how long thinking lasted (first to last thinking delta). Noting an event is a dict
increment, plus a clock read for thinking and the first text delta: it sits on the hot path.
"""

from __future__ import annotations

import time
from typing import Any


class StreamTimeline:
    __slots__ = (
        "_first_text",
        "_first_thinking",
        "_last_thinking",
        "_started",
        "counts",
        "keepalives",
        "retries",
    )

    def __init__(self, *, started: float) -> None:
        self._started = started
        self.counts: dict[str, int] = {}
        self.keepalives = 0
        self.retries = 0
        self._first_thinking: float | None = None
        self._last_thinking: float | None = None
        self._first_text: float | None = None

    def event(self, event_type: str, data: Any) -> None:
        self.counts[event_type] = self.counts.get(event_type, 0) + 1
        if event_type != "content_block_delta" or not isinstance(data, dict):
            return
        delta = data.get("delta")
        kind = delta.get("type") if isinstance(delta, dict) else None
        if kind == "thinking_delta":
            now = time.monotonic()
            if self._first_thinking is None:
                self._first_thinking = now
            self._last_thinking = now
        elif kind == "text_delta" and self._first_text is None:
            self._first_text = time.monotonic()

    def as_json(self, *, request_headers: dict[str, str]) -> dict[str, Any]:
        """What ``Message.timeline`` stores (``request_headers`` already masked)."""
        thinking_ms = None
        if self._first_thinking is not None and self._last_thinking is not None:
            thinking_ms = _ms(self._last_thinking - self._first_thinking)
        return {
            "events": dict(self.counts),
            "keepalives": self.keepalives,
            "retries": self.retries,
            "first_thinking_ms": self._since_start(self._first_thinking),
            "first_text_ms": self._since_start(self._first_text),
            "thinking_ms": thinking_ms,
            "request_headers": request_headers,
        }

    def _since_start(self, moment: float | None) -> int | None:
        return None if moment is None else _ms(moment - self._started)


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))
