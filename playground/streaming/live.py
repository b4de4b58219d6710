"""An answer as its viewers see it while it streams: what frames 1..seq showed, and what waits.

The generation feeds every stream event to ``LiveMessage.apply``; ``take_frame`` turns what
arrived since the last frame into one small HTML fragment (appends, new blocks, a footer), gives
it the next sequence number and counts it as published. A snapshot renders the published state
only, so a viewer that starts from a snapshot at seq N and then applies frames N+1, N+2… sees
every delta exactly once.
"""

from __future__ import annotations

from typing import Any

from playground.streaming import fragments

# Frame 1 only places the empty message, which a page rendered from the database already shows.
OPENING_SEQ = 1

# Which delta fills which kind of block (as the wire folder decides); other pairs are ignored.
_DELTA_TARGET = {
    "text_delta": ("text", "text"),
    "thinking_delta": ("thinking", "thinking"),
    "input_json_delta": ("tool", "partial_json"),
}
_KIND_OF_BLOCK = {
    "text": "text",
    "thinking": "thinking",
    "tool_use": "tool",
    "server_tool_use": "tool",
}


class _LiveBlock:
    """One content block as started, plus the pieces of text (or raw input JSON) since."""

    __slots__ = ("kind", "parts", "start")

    def __init__(self, start: dict[str, Any]) -> None:
        self.start = start
        self.kind = _KIND_OF_BLOCK.get(start.get("type", ""), "other")
        initial = start.get(self.kind) if self.kind in ("text", "thinking") else None
        self.parts: list[str] = [initial] if isinstance(initial, str) and initial else []

    def as_shown(self) -> dict[str, Any]:
        """The block for the template; a tool's input is the raw JSON text received so far."""
        block = dict(self.start)
        if self.kind in ("text", "thinking"):
            block[self.kind] = "".join(self.parts)
        elif self.kind == "tool":
            block["input"] = "".join(self.parts)
        return block


class LiveMessage:
    """The published view of one streaming answer and the changes waiting for the next frame."""

    def __init__(
        self,
        *,
        message_id: int,
        conversation_id: int,
        model: str,
        status: str,
        before_html: str = "",
        replaces_message_id: int | None = None,
    ) -> None:
        self.message_id = message_id
        self.conversation_id = conversation_id
        self.model = model
        self.seq = 0
        self.status = status
        self._before_html = before_html
        self._replaces = replaces_message_id
        self._blocks: list[_LiveBlock] = []  # published
        self._kinds: list[str] = []  # every block started, published or not
        self._new: dict[int, _LiveBlock] = {}  # started since the last frame
        self._appended: dict[int, list[str]] = {}  # text for published blocks since then
        self._footer_changed = False

    @property
    def pending(self) -> bool:
        return self._footer_changed or bool(self._new or self._appended)

    # --- what arrives ---

    def apply(self, event_type: str, data: dict[str, Any]) -> bool:
        """Take one stream event; True when viewers will see a change."""
        if event_type == "content_block_delta":
            return self._delta(data)
        if event_type == "content_block_start":
            start = data.get("content_block")
            if not isinstance(start, dict):
                return False
            block = _LiveBlock(dict(start))
            self._new[len(self._kinds)] = block
            self._kinds.append(block.kind)
            return True
        return False

    def set_status(self, words: str) -> bool:
        if words == self.status:
            return False
        self.status = words
        self._footer_changed = True
        return True

    def _delta(self, data: dict[str, Any]) -> bool:
        delta = data.get("delta")
        index = data.get("index")
        if not isinstance(delta, dict) or not isinstance(index, int):
            return False
        target = _DELTA_TARGET.get(delta.get("type"))  # type: ignore[arg-type]
        if target is None or not 0 <= index < len(self._kinds) or self._kinds[index] != target[0]:
            return False
        text = delta.get(target[1])
        if not isinstance(text, str) or not text:
            return False
        new = self._new.get(index)
        if new is not None:
            new.parts.append(text)
        else:
            self._appended.setdefault(index, []).append(text)
        return True

    # --- what viewers get ---

    def opening_frame(self) -> str:
        """Frame 1: the message placed in the page, empty. Nothing else ever rides in it, so a
        page rendered from the database before it was sent lacks nothing but it (see
        ``snapshot_seq``)."""
        assert self.seq == 0, "the opening is the first frame"
        self.seq = OPENING_SEQ
        return self.opening(self._article(oob=False))

    def take_frame(self, *, closing: str = "") -> str | None:
        """The next frame (None if nothing changed), now counted as published."""
        if not self.pending and not closing:
            return None
        self.seq += 1
        parts: list[str] = []
        for index, pieces in self._appended.items():
            block = self._blocks[index]
            text = "".join(pieces)
            block.parts.append(text)
            parts.append(fragments.text_append(message_id=self.message_id, index=index, text=text))
        self._appended.clear()
        for index, block in sorted(self._new.items()):
            self._blocks.append(block)
            parts.append(
                fragments.block_append(
                    message_id=self.message_id, block_html=self._block_html(index, block)
                )
            )
        self._new.clear()
        if self._footer_changed and not closing:
            parts.append(fragments.footer_html(self.context()))
        self._footer_changed = False
        parts.append(closing)
        return "".join(parts)

    def opening(self, article_html: str) -> str:
        """Where the message goes in a page that does not have it yet."""
        placed = fragments.messages_append(
            self._before_html + article_html, conversation_id=self.conversation_id
        )
        if self._replaces is None:
            return placed
        return fragments.message_removal(message_id=self._replaces) + placed

    @property
    def snapshot_seq(self) -> int:
        """The frame a snapshot stands for; never below the opening, which it makes redundant."""
        return max(self.seq, OPENING_SEQ)

    def snapshot(self, *, in_page: bool) -> str:
        """The whole published message: swapped by id, or placed as the first frame places it."""
        if in_page:
            return self._article(oob=True)
        return self.opening(self._article(oob=False))

    def context(self) -> dict[str, Any]:
        """The template context of the published state (the contract's plain context)."""
        return {
            "message_id": self.message_id,
            "role": "assistant",
            "state": "streaming",
            "blocks": [block.as_shown() for block in self._blocks],
            "error": None,
            "usage": None,
            "stop_reason": "",
            "stop_sequence": None,
            "model": self.model,
            "first_token_ms": None,
            "duration_ms": None,
            "output_tokens_per_second": None,
            "seq": self.snapshot_seq,
            "rendered": {},
            "status": self.status,
        }

    def _article(self, *, oob: bool) -> str:
        return fragments.message_html({**self.context(), "oob": oob})

    def _block_html(self, index: int, block: _LiveBlock) -> str:
        return fragments.block_html(
            {
                "message_id": self.message_id,
                "index": index,
                "block": block.as_shown(),
                "state": "streaming",
                "html": None,
            }
        )
