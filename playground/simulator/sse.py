"""The server-sent event frames of a streamed answer, in the order Anthropic's protocol gives:
``message_start``, ``ping``, per block ``content_block_start`` / ``_delta``s / ``_stop``,
``message_delta`` with the stop reason and usage, ``message_stop``; a ``ping`` every so often."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from playground.simulator.answer import Answer

KEEPALIVE = b": keep-alive\n\n"
PING_EVERY_DELTAS = 50


@dataclass(frozen=True)
class Frame:
    data: bytes
    tokens: float = 0.0
    is_delta: bool = False


def sse_event(event: str, payload: dict[str, Any]) -> bytes:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"event: {event}\ndata: {data}\n\n".encode()


def answer_frames(answer: Answer) -> Iterator[Frame]:
    start = answer.message() | {"content": [], "stop_reason": None, "stop_sequence": None}
    start["usage"] = answer.usage(output_tokens=1)
    yield Frame(sse_event("message_start", {"type": "message_start", "message": start}))
    yield Frame(sse_event("ping", {"type": "ping"}))
    deltas = 0
    for index, block in enumerate(answer.blocks):
        yield Frame(
            sse_event(
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": block.opening()},
            )
        )
        for piece in block.pieces:
            delta = {"type": "content_block_delta", "index": index, "delta": block.delta(piece)}
            yield Frame(sse_event("content_block_delta", delta), piece.tokens, is_delta=True)
            deltas += 1
            if deltas % PING_EVERY_DELTAS == 0:
                yield Frame(sse_event("ping", {"type": "ping"}))
        if block.type == "thinking":
            signature = {"type": "signature_delta", "signature": block.signature}
            yield Frame(
                sse_event(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": index, "delta": signature},
                )
            )
        yield Frame(sse_event("content_block_stop", {"type": "content_block_stop", "index": index}))
    yield Frame(
        sse_event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": answer.stop_reason, "stop_sequence": answer.stop_sequence},
                "usage": {"output_tokens": answer.output_tokens},
            },
        )
    )
    yield Frame(sse_event("message_stop", {"type": "message_stop"}))
