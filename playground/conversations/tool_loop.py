"""The tool loop: which tool calls wait for results, and the user turn that answers them.

An answer that ended with ``stop_reason`` "tool_use" waits for one ``tool_result`` per
``tool_use`` block; the page shows a Result box and an Error checkbox per call, named
``tool_result:<id>`` and ``tool_error:<id>``, and the next user turn is those results (in the
calls' order), then the Message box's text if there is any. The send and "View code" build that
turn with the same function, so that the code shown is the request sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.conversations.forms import MAX_MESSAGE_CHARS
from playground.conversations.models import Message

RESULT_FIELD = "tool_result:"
ERROR_FIELD = "tool_error:"
# What "View code" shows for what the user has not typed yet.
PLACEHOLDER = "…"


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    input: Any

    @property
    def result_field(self) -> str:
        return f"{RESULT_FIELD}{self.id}"

    @property
    def error_field(self) -> str:
        return f"{ERROR_FIELD}{self.id}"


def pending_tool_calls(message: Message | None) -> list[ToolCall]:
    """The calls a finished tool_use answer waits on; none for anything else."""
    if (
        message is None
        or message.role != Message.Role.ASSISTANT
        or message.state != Message.State.COMPLETE
        or message.stop_reason != "tool_use"
    ):
        return []
    return [
        ToolCall(id=block["id"], name=str(block.get("name", "")), input=block.get("input"))
        for block in message.content
        if block.get("type") == "tool_use" and isinstance(block.get("id"), str)
    ]


def answers_tools(data: Any) -> bool:
    """Whether the page sent tool results (it shows their boxes only when calls wait)."""
    return any(isinstance(key, str) and key.startswith(RESULT_FIELD) for key in data)


def tool_results_turn(
    *, calls: list[ToolCall], data: Any, text: str, placeholder: bool = False
) -> tuple[list[dict[str, Any]], list[str]]:
    """The user turn answering ``calls`` from the page's fields, then ``text``; and what is wrong
    (a call left unanswered, a result too long), one sentence per call. With ``placeholder`` a
    blank result stands as "…" instead (for "View code", before anything is typed)."""
    blocks: list[dict[str, Any]] = []
    errors: list[str] = []
    for call in calls:
        result = data.get(call.result_field)
        result = result if isinstance(result, str) else ""
        if not result.strip():
            if not placeholder:
                errors.append(
                    f"Result for {call.name} ({call.id}): write what the tool returned "
                    "(check Error if it failed)."
                )
            result = PLACEHOLDER
        elif len(result) > MAX_MESSAGE_CHARS:
            errors.append(
                f"Result for {call.name} ({call.id}) must be at most {MAX_MESSAGE_CHARS:,} "
                f"characters (it has {len(result):,})."
            )
        block: dict[str, Any] = {"type": "tool_result", "tool_use_id": call.id, "content": result}
        if data.get(call.error_field):
            block["is_error"] = True
        blocks.append(block)
    if text:
        blocks.append({"type": "text", "text": text})
    return blocks, errors
