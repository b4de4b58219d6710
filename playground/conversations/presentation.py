"""What the message template needs, computed from a stored message.

``templates/conversations/_message.html`` takes plain context so that the generation can render
it from its in-memory state as well as the page from a ``Message``; ``message_context`` is the
page's side. Text blocks of a message that is no longer streaming are shown as sanitised markdown.
A finished answer's footer shows its cost estimate (``cost``, or None: no price for its model);
a message with siblings shows where it stands among them (``branch``).
"""

from __future__ import annotations

from typing import Any

from playground.conversations.markdown import render_markdown
from playground.conversations.models import Conversation, Message
from playground.conversations.pricing import cost_estimate
from playground.conversations.services import Branch, conversation_shown
from playground.conversations.tool_loop import ToolCall, pending_tool_calls


def rendered_text_blocks(blocks: list[dict[str, Any]]) -> dict[int, str]:
    """Block index -> sanitised markdown HTML, for every text block of a finished message."""
    return {
        index: render_markdown(block.get("text") or "")
        for index, block in enumerate(blocks)
        if block.get("type") == "text"
    }


def message_context(message: Message, *, branch: Branch | None = None) -> dict[str, Any]:
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
        "cost": cost_estimate(model=message.model, usage=message.usage) if finished else None,
        "branch": branch,
        # Only a question in words can be edited (tool results answer one particular call).
        "editable_text": _editable_text(message, blocks),
    }


def _editable_text(message: Message, blocks: list[dict[str, Any]]) -> str | None:
    if message.role != Message.Role.USER or any(b.get("type") != "text" for b in blocks):
        return None
    return "\n\n".join(b.get("text") or "" for b in blocks)


def shown_conversation(
    conversation: Conversation | None,
) -> tuple[list[Message], list[dict[str, Any]], list[ToolCall]]:
    """What the page shows of a conversation: its path, the path's messages' contexts (with
    their branches), and the tool calls its last answer waits on."""
    if conversation is None:
        return [], [], []
    path, branches = conversation_shown(conversation=conversation)
    contexts = [message_context(message, branch=branches.get(message.pk)) for message in path]
    return path, contexts, pending_tool_calls(path[-1] if path else None)
