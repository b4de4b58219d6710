"""A conversation with every kind of block and a branch, as the share and transfer tests use it.

alice asked about the weather; the answer thought (with a signature), called a tool, got its
result and answered in markdown. An earlier answer to the tool result was stopped while it
thought (no signature yet) and is a branch beside the current one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from playground.accounts.models import ApiKey
from playground.conversations.models import Conversation, Message

SYSTEM_PROMPT = "You are the weather helper. SYSTEM-PROMPT-MARKER"
WEATHER_TOOL = {
    "name": "get_weather",
    "description": "The weather in a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}
TOOLS = json.dumps([WEATHER_TOOL], indent=2)
SETTINGS: dict[str, Any] = {
    "model": "deepseek-v4-pro",
    "system": SYSTEM_PROMPT,
    "max_tokens": 2048,
    "temperature": 0.7,
    "top_p": None,
    "top_k": None,
    "stop_sequences": ["END"],
    "thinking": "enabled",
    "effort": "high",
    "tools": TOOLS,
    "tool_choice": "auto",
    "tool_name": "",
}
QUESTION = "What is the weather in Paris? <script>alert('x')</script>"
THINKING = {"type": "thinking", "thinking": "The user wants Paris.", "signature": "sig-Paris-1"}
TOOL_USE = {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}
TOOL_RESULT = {"type": "tool_result", "tool_use_id": "toolu_01", "content": "18 degrees, sunny"}
ANSWER_TEXT = "It is **18 degrees** and sunny in Paris. <img src=x onerror=alert(1)>"


@dataclass
class Tree:
    conversation: Conversation
    question: Message
    tool_call: Message
    tool_result: Message
    stopped_branch: Message
    answer: Message

    @property
    def path(self) -> list[Message]:
        return [self.question, self.tool_call, self.tool_result, self.answer]


def weather_conversation(user: User, *, api_key: ApiKey | None = None) -> Tree:
    conversation = Conversation.objects.create(
        user=user,
        title="Weather in Paris",
        title_is_auto=False,
        provider="simulator",
        api_key=api_key,
        settings=dict(SETTINGS),
    )

    def add(parent: Message | None, role: str, content: list, **fields: Any) -> Message:
        return Message.objects.create(
            conversation=conversation, parent=parent, role=role, content=content, **fields
        )

    question = add(None, "user", [{"type": "text", "text": QUESTION}])
    tool_call = add(
        question,
        "assistant",
        [THINKING, {"type": "text", "text": "Let me check."}, TOOL_USE],
        model="deepseek-v4-pro",
        provider="simulator",
        stop_reason="tool_use",
        usage={"input_tokens": 40, "output_tokens": 25},
        first_token_ms=120,
        duration_ms=900,
        request={"model": "deepseek-v4-pro", "system": SYSTEM_PROMPT, "messages": []},
    )
    tool_result = add(tool_call, "user", [TOOL_RESULT])
    stopped_branch = add(
        tool_result,
        "assistant",
        [{"type": "thinking", "thinking": "Sunny, so"}],
        state=Message.State.STOPPED,
        model="deepseek-v4-pro",
    )
    answer = add(
        tool_result,
        "assistant",
        [
            {"type": "thinking", "thinking": "Report it.", "signature": "sig-Paris-2"},
            {"type": "text", "text": ANSWER_TEXT},
        ],
        model="deepseek-v4-pro",
        provider="simulator",
        stop_reason="end_turn",
        usage={"input_tokens": 80, "output_tokens": 30},
        first_token_ms=100,
        duration_ms=700,
        output_tokens_per_second=42.5,
    )
    conversation.current_leaf = answer
    conversation.save()
    return Tree(conversation, question, tool_call, tool_result, stopped_branch, answer)
