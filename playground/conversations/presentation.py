"""What the message template needs, computed from a stored message.

``templates/conversations/_message.html`` takes plain context so that the generation can render
it from its in-memory state as well as the page from a ``Message``; ``message_context`` is the
page's side. Text blocks of a message that is no longer streaming are shown as sanitised markdown.
"""

from __future__ import annotations

from typing import Any

from playground.conversations.markdown import render_markdown
from playground.conversations.models import Message


def rendered_text_blocks(blocks: list[dict[str, Any]]) -> dict[int, str]:
    """Block index -> sanitised markdown HTML, for every text block of a finished message."""
    return {
        index: render_markdown(block.get("text") or "")
        for index, block in enumerate(blocks)
        if block.get("type") == "text"
    }


def message_context(message: Message) -> dict[str, Any]:
    blocks = list(message.content) if isinstance(message.content, list) else []
    finished = message.role == Message.Role.ASSISTANT and message.state != Message.State.STREAMING
    return {
        "message_id": message.pk,
        "role": message.role,
        "state": message.state,
        "blocks": blocks,
        "error": message.error,
        "usage": message.usage,
        "stop_reason": message.stop_reason,
        "stop_sequence": message.stop_sequence,
        "model": message.model,
        "first_token_ms": message.first_token_ms,
        "duration_ms": message.duration_ms,
        "output_tokens_per_second": message.output_tokens_per_second,
        "seq": message.seq,
        "rendered": rendered_text_blocks(blocks) if finished else {},
    }
