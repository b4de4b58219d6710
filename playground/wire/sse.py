"""An incremental Server-Sent Events decoder following the WHATWG event-stream rules.

Bytes may arrive cut anywhere: inside a line, inside a UTF-8 character, between the CR and the LF
of a CRLF. Lines end with CRLF, LF or CR. ``data:`` lines of one event are joined with "\\n".
An event is dispatched by a blank line and only if it had at least one ``data`` line; at the end
of the stream an event without its blank line is dropped, as the standard says.

Comment lines (``: keep-alive``) carry no event, but DeepSeek sends them while a request waits in
its queue, and the UI shows that; so they are surfaced in order, as items whose ``comment`` is set.

This is the hot path of every generation: lines are split on whole buffers, decoded once per
buffer, and a chunk without a line break is only stored, never rescanned.
"""

from __future__ import annotations

from typing import NamedTuple


class ServerSentEvent(NamedTuple):
    """One dispatched event, or one comment line when ``comment`` is not None.

    ``event`` is None when the stream gave no ``event:`` field (the standard's default type
    "message"). ``id`` is the last event id seen so far; ``retry`` is set on the event whose
    block carried a valid ``retry:`` field (a block without data passes its retry on to none).
    """

    event: str | None
    data: str
    id: str | None = None
    retry: int | None = None
    comment: str | None = None


class SSEDecoder:
    """Feed it bytes as they come; it returns the events (and comments) each chunk completed."""

    __slots__ = (
        "_data",
        "_event",
        "_last_id",
        "_pending",
        "_retry",
        "_skip_lf",
        "_started",
        "comments",
    )

    def __init__(self) -> None:
        self._pending: list[bytes] = []  # the bytes of an unfinished line
        self._skip_lf = False  # the last chunk ended in CR: an LF starting the next is its pair
        self._started = False  # a byte-order mark is only skipped at the very start
        self._data: list[str] = []
        self._event: str | None = None
        self._last_id: str | None = None
        self._retry: int | None = None
        self.comments = 0

    @property
    def has_partial_event(self) -> bool:
        """Whether bytes or fields of an event that has not been dispatched are held."""
        return bool(self._pending or self._data or self._event is not None)

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        if self._skip_lf and chunk:
            self._skip_lf = False
            if chunk[0] == 0x0A:
                chunk = chunk[1:]
        if not chunk:
            return []
        if b"\n" not in chunk and b"\r" not in chunk:
            self._pending.append(chunk)
            return []
        if self._pending:
            self._pending.append(chunk)
            chunk = b"".join(self._pending)
            self._pending = []
        if b"\r" in chunk:
            self._skip_lf = chunk[-1] == 0x0D
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = chunk.rfind(b"\n")
        if end + 1 < len(chunk):
            self._pending.append(chunk[end + 1 :])
        # An LF never falls inside a UTF-8 sequence, so the lines before it decode whole.
        text = chunk[:end].decode("utf-8", "replace")
        if not self._started:
            self._started = True
            if text.startswith("\ufeff"):
                text = text[1:]
        return self._lines(text.split("\n"))

    def close(self) -> list[ServerSentEvent]:
        """End of stream. The standard discards an event that lacks its closing blank line, so
        nothing is dispatched here; ``has_partial_event`` (read before) says if one was lost."""
        self._pending = []
        self._data = []
        self._event = None
        self._retry = None
        return []

    def _lines(self, lines: list[str]) -> list[ServerSentEvent]:
        events: list[ServerSentEvent] = []
        data = self._data
        for line in lines:
            if not line:
                if data:
                    events.append(
                        ServerSentEvent(
                            self._event,
                            data[0] if len(data) == 1 else "\n".join(data),
                            self._last_id,
                            self._retry,
                        )
                    )
                    data = []
                self._event = None
                self._retry = None
                continue
            if line[0] == ":":
                self.comments += 1
                text = line[1:]
                events.append(
                    ServerSentEvent(None, "", comment=text[1:] if text[:1] == " " else text)
                )
                continue
            name, _, value = line.partition(":")
            if value[:1] == " ":
                value = value[1:]
            if name == "data":
                data.append(value)
            elif name == "event":
                self._event = value or None
            elif name == "id":
                if "\0" not in value:
                    self._last_id = value
            elif name == "retry":
                if value.isascii() and value.isdigit():
                    self._retry = int(value)
        self._data = data
        return events
