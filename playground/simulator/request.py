"""Reading a ``POST /v1/messages`` body the way DeepSeek does: validate what it checks, ignore
fields it does not know, and turn the rest into a ``SimulatedRequest``.

Every rejection is an ``InvalidRequest`` whose message starts with the field it is about.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

from playground.simulator.config import MAX_TOKENS_LIMIT, PRO_MODEL
from playground.simulator.directives import (
    DirectiveError,
    Directives,
    parse_directives,
    strip_directives,
)
from playground.simulator.tokens import count_tokens

EFFORTS = ("low", "medium", "high", "xhigh", "max")
DEFAULT_EFFORT = "high"
MAX_STOP_SEQUENCES = 4
THINKING_MUST_COME_BACK = (
    "The `content[].thinking` in the thinking mode must be passed back to the API."
)

# Block types DeepSeek refuses; everything here is "not supported" rather than "unknown".
_UNSUPPORTED_BLOCKS = {
    "image",
    "document",
    "search_result",
    "redacted_thinking",
    "server_tool_use",
    "web_search_tool_result",
    "web_fetch_tool_result",
    "code_execution_tool_result",
    "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result",
    "mcp_tool_use",
    "mcp_tool_result",
    "container_upload",
}
_BLOCKS_BY_ROLE = {"user": {"text", "tool_result"}, "assistant": {"text", "tool_use", "thinking"}}
_TOOL_CHOICES = ("auto", "any", "tool", "none")


class InvalidRequest(ValueError):
    """The request breaks a rule; ``field`` is where, ``str(self)`` says so for the user."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True, kw_only=True)
class SimulatedRequest:
    model: str
    is_pro: bool
    max_tokens: int
    stream: bool
    thinking: bool
    effort: str
    stop_sequences: tuple[str, ...]
    tools: tuple[dict[str, Any], ...]
    tool_choice: str
    forced_tool: str | None
    user_text: str
    tool_results: tuple[str, ...]
    directives: Directives
    input_tokens: int
    seed: int


def parse_request(body: bytes) -> SimulatedRequest:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidRequest("body", f"is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InvalidRequest("body", "must be a JSON object")
    try:
        json.dumps(data, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise InvalidRequest("body", "holds a lone surrogate escape, which is not text") from None

    model = data.get("model")
    if not isinstance(model, str) or not model.strip():
        raise InvalidRequest("model", _missing_or("a non-empty string", data, "model"))
    max_tokens = _max_tokens(data)
    stream = data.get("stream", False)
    if not isinstance(stream, bool):
        raise InvalidRequest("stream", "must be true or false")
    _check_range(data, "temperature", 0, 2)
    _check_range(data, "top_p", 0, 1)
    stop_sequences = _stop_sequences(data.get("stop_sequences"))
    thinking = _thinking(data.get("thinking"))
    effort = _effort(data.get("output_config"))
    system_text = _system_text(data.get("system"))
    messages = _messages(data.get("messages"), thinking=thinking)
    tools = _tools(data.get("tools"))
    tool_choice, forced_tool = _tool_choice(data.get("tool_choice"), tools)

    last_user = next(m for m in reversed(messages) if m["role"] == "user")
    raw_user_text = "".join(b["text"] for b in last_user["content"] if b["type"] == "text")
    directives = _directives(raw_user_text, where="messages").merged_over(
        _directives(system_text, where="system")
    )
    tool_results = tuple(b["content"] for b in last_user["content"] if b["type"] == "tool_result")

    meaning = {
        "model": model,
        "messages": messages,
        "system": system_text,
        "thinking": thinking,
        "effort": effort,
        "tools": tools,
        "tool_choice": [tool_choice, forced_tool],
    }
    canonical = json.dumps(meaning, sort_keys=True, ensure_ascii=False).encode()
    return SimulatedRequest(
        model=model,
        is_pro=model == PRO_MODEL,
        max_tokens=max_tokens,
        stream=stream,
        thinking=thinking,
        effort=effort,
        stop_sequences=stop_sequences,
        tools=tuple(tools),
        tool_choice=tool_choice,
        forced_tool=forced_tool,
        user_text=strip_directives(raw_user_text).strip(),
        tool_results=tool_results,
        directives=directives,
        input_tokens=max(1, _input_tokens(system_text, messages, tools)),
        seed=int.from_bytes(hashlib.sha256(canonical).digest()[:8], "big"),
    )


def _directives(text: str, *, where: str) -> Directives:
    try:
        return parse_directives(text)
    except DirectiveError as exc:
        raise InvalidRequest(where, str(exc)) from None


def _missing_or(expected: str, data: dict[str, Any], key: str) -> str:
    return "Field required" if key not in data else f"must be {expected}"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _max_tokens(data: dict[str, Any]) -> int:
    value = data.get("max_tokens")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_TOKENS_LIMIT:
        expected = f"an integer from 1 to {MAX_TOKENS_LIMIT}"
        problem = _missing_or(expected, data, "max_tokens")
        if "max_tokens" in data:
            problem += f", got {json.dumps(value)}"
        raise InvalidRequest("max_tokens", problem)
    return value


def _check_range(data: dict[str, Any], key: str, low: float, high: float) -> None:
    if key not in data or data[key] is None:
        return
    value = data[key]
    if not _is_number(value) or not low <= value <= high:
        raise InvalidRequest(key, f"must be a number from {low} to {high}, got {json.dumps(value)}")


def _stop_sequences(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(s, str) and s for s in value):
        raise InvalidRequest("stop_sequences", "must be a list of non-empty strings")
    if len(value) > MAX_STOP_SEQUENCES:
        raise InvalidRequest(
            "stop_sequences", f"at most {MAX_STOP_SEQUENCES} are allowed, got {len(value)}"
        )
    return tuple(value)


def _thinking(value: object) -> bool:
    if value is None:
        return True
    kind = value.get("type") if isinstance(value, dict) else None
    if kind not in ("enabled", "disabled", "adaptive"):
        raise InvalidRequest("thinking.type", 'must be "enabled" or "disabled"')
    return kind != "disabled"


def _effort(value: object) -> str:
    if value is None:
        return DEFAULT_EFFORT
    if not isinstance(value, dict):
        raise InvalidRequest("output_config", "must be an object")
    effort = value.get("effort")
    if effort is None:
        return DEFAULT_EFFORT
    if effort not in EFFORTS:
        raise InvalidRequest("output_config.effort", f"must be one of {', '.join(EFFORTS)}")
    return effort


def _system_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        texts = []
        for index, block in enumerate(value):
            if not isinstance(block, dict) or block.get("type") != "text":
                raise InvalidRequest(f"system[{index}]", "must be a text block")
            texts.append(_text_of(block, f"system[{index}]"))
        return "\n".join(texts)
    raise InvalidRequest("system", "must be a string or a list of text blocks")


def _text_of(block: dict[str, Any], where: str) -> str:
    text = block.get("text")
    if not isinstance(text, str):
        raise InvalidRequest(f"{where}.text", "must be a string")
    return text


def _messages(value: object, *, thinking: bool) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise InvalidRequest("messages", "must be a non-empty list of messages")
    messages = []
    for index, message in enumerate(value):
        where = f"messages[{index}]"
        if not isinstance(message, dict):
            raise InvalidRequest(where, "must be an object with role and content")
        role = message.get("role")
        if role not in _BLOCKS_BY_ROLE:
            raise InvalidRequest(f"{where}.role", 'must be "user" or "assistant"')
        expected = "user" if index % 2 == 0 else "assistant"
        if role != expected:
            problem = (
                "the first message must come from the user"
                if index == 0
                else "roles must alternate between user and assistant"
            )
            raise InvalidRequest(f"{where}.role", problem)
        content = _content(message.get("content"), role=role, where=f"{where}.content")
        types = {block["type"] for block in content}
        if thinking and role == "assistant" and "tool_use" in types and "thinking" not in types:
            raise InvalidRequest(f"{where}.content", THINKING_MUST_COME_BACK)
        messages.append({"role": role, "content": content})
    return messages


def _content(value: object, *, role: str, where: str) -> list[dict[str, Any]]:
    if isinstance(value, str):
        return [{"type": "text", "text": value}]
    if not isinstance(value, list):
        raise InvalidRequest(where, "must be a string or a list of content blocks")
    return [_block(b, role=role, where=f"{where}[{i}]") for i, b in enumerate(value)]


def _block(block: object, *, role: str, where: str) -> dict[str, Any]:
    if not isinstance(block, dict):
        raise InvalidRequest(where, "must be a content block object")
    kind = block.get("type")
    if kind in _UNSUPPORTED_BLOCKS:
        raise InvalidRequest(f"{where}.type", f"{kind} content is not supported")
    if kind not in _BLOCKS_BY_ROLE[role]:
        raise InvalidRequest(f"{where}.type", f"{json.dumps(kind)} is not allowed in a {role} turn")
    if kind == "text":
        return {"type": "text", "text": _text_of(block, where)}
    if kind == "thinking":
        thinking = block.get("thinking")
        if not isinstance(thinking, str):
            raise InvalidRequest(f"{where}.thinking", "must be a string")
        return {"type": "thinking", "thinking": thinking}
    if kind == "tool_use":
        for key in ("id", "name"):
            if not isinstance(block.get(key), str) or not block[key]:
                raise InvalidRequest(f"{where}.{key}", "must be a non-empty string")
        if not isinstance(block.get("input"), dict):
            raise InvalidRequest(f"{where}.input", "must be an object")
        return {k: block[k] for k in ("type", "id", "name", "input")}
    if not isinstance(block.get("tool_use_id"), str) or not block["tool_use_id"]:
        raise InvalidRequest(f"{where}.tool_use_id", "must be a non-empty string")
    return {
        "type": "tool_result",
        "tool_use_id": block["tool_use_id"],
        "content": _tool_result_content(block.get("content"), where=f"{where}.content"),
    }


def _tool_result_content(value: object, *, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise InvalidRequest(where, "must be a string or a list of text blocks")
    texts = []
    for index, block in enumerate(value):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind in _UNSUPPORTED_BLOCKS:
            raise InvalidRequest(f"{where}[{index}].type", f"{kind} content is not supported")
        if kind != "text":
            raise InvalidRequest(f"{where}[{index}]", "must be a text block")
        texts.append(_text_of(block, f"{where}[{index}]"))
    return "\n".join(texts)


def _tools(value: object) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidRequest("tools", "must be a list of tool definitions")
    tools = []
    for index, tool in enumerate(value):
        where = f"tools[{index}]"
        if not isinstance(tool, dict):
            raise InvalidRequest(where, "must be an object")
        kind = tool.get("type")
        if kind not in (None, "custom"):
            raise InvalidRequest(
                f"{where}.type", f"server tool {json.dumps(kind)} is not supported"
            )
        if not isinstance(tool.get("name"), str) or not tool["name"]:
            raise InvalidRequest(f"{where}.name", "must be a non-empty string")
        schema = tool.get("input_schema")
        if not isinstance(schema, dict):
            raise InvalidRequest(
                f"{where}.input_schema", _missing_or("an object", tool, "input_schema")
            )
        description = tool.get("description")
        tools.append(
            {
                "name": tool["name"],
                "description": description if isinstance(description, str) else "",
                "input_schema": schema,
            }
        )
    return tools


def _tool_choice(value: object, tools: list[dict[str, Any]]) -> tuple[str, str | None]:
    if value is None:
        return "auto", None
    kind = value.get("type") if isinstance(value, dict) else None
    if kind not in _TOOL_CHOICES:
        raise InvalidRequest("tool_choice.type", f"must be one of {', '.join(_TOOL_CHOICES)}")
    if kind != "tool":
        return kind, None
    name = value.get("name")
    if not any(tool["name"] == name for tool in tools):
        raise InvalidRequest("tool_choice.name", f"{json.dumps(name)} is not one of the tools")
    return kind, name


def _input_tokens(system: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> int:
    parts = [system]
    for message in messages:
        for block in message["content"]:
            if block["type"] == "text":
                parts.append(block["text"])
            elif block["type"] == "thinking":
                parts.append(block["thinking"])
            elif block["type"] == "tool_use":
                parts.append(block["name"] + " " + json.dumps(block["input"]))
            else:
                parts.append(block["content"])
    for tool in tools:
        parts.append(f"{tool['name']} {tool['description']} {json.dumps(tool['input_schema'])}")
    return sum(count_tokens(part) for part in parts)
