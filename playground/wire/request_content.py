"""Checking the conversation of a request: the system prompt, the messages and their blocks.

Block types the profile rejects (images and documents for DeepSeek) are errors naming the block;
ignored parts (``cache_control``, ``citations``, ``is_error`` for DeepSeek) are dropped with a
warning. Block types we do not model beyond their shape (images, documents, server tool results)
are checked for their required fields and passed on when the profile honours them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from playground.wire.profiles import PROFILE_BLOCKS, SERVER_TOOL_BLOCKS, Support
from playground.wire.validation import INVALID, Checker, join

_ASSISTANT_ONLY = frozenset({"thinking", "redacted_thinking", "tool_use", *SERVER_TOOL_BLOCKS})
_USER_ONLY = frozenset({"tool_result", "image", "document", "search_result"})
# What a tool_result may hold besides a plain string.
_TOOL_RESULT_BLOCKS = frozenset({"text", "image", "document", "search_result"})
_IMAGE_SOURCES = ("base64", "url", "file")
_IMAGE_MEDIA_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
_DOCUMENT_SOURCES = ("base64", "text", "content", "url", "file")


@dataclass
class _Turn:
    """Where a block sits: the role of its message and the tool calls a tool_result may answer."""

    role: str
    answerable_tool_ids: frozenset[str]
    tool_ids: set[str] = field(default_factory=set)  # tool_use ids this message makes


def check_system(check: Checker, value: Any) -> Any:
    """The system prompt to send; None when empty (nothing is sent), INVALID on errors."""
    if isinstance(value, str):
        return value or None
    if check.array(value, "system") is INVALID:
        return INVALID
    blocks = []
    for index, block in enumerate(value):
        path = join("system", index)
        if check.object(block, path) is INVALID:
            continue
        if block.get("type") != "text":
            check.error(join(path, "type"), f'{path} must be a text block (type "text")')
            continue
        blocks.append(_text(check, block, path, _Turn("system", frozenset())))
    return blocks or None


def check_messages(check: Checker, value: Any) -> Any:
    if value is None:
        return check.error("messages", "messages is required")
    if check.array(value, "messages") is INVALID:
        return INVALID
    if not value:
        return check.error("messages", "messages must contain at least one message")
    messages = []
    answerable: frozenset[str] = frozenset()
    for index, message in enumerate(value):
        path = join("messages", index)
        if check.object(message, path) is INVALID:
            continue
        check.unknown_keys(message, path, frozenset({"role", "content"}), "a message")
        role = check.choice(message.get("role"), join(path, "role"), ("user", "assistant"))
        turn = _Turn(role if role is not INVALID else "", answerable)
        # Only the last message may be an empty assistant turn: it is the prefill to continue.
        may_be_empty = role == "assistant" and index == len(value) - 1
        content = _content(check, message.get("content"), join(path, "content"), turn, may_be_empty)
        messages.append({"role": role, "content": content})
        answerable = frozenset(turn.tool_ids) if role == "assistant" else frozenset()
    return messages


def _content(check: Checker, value: Any, path: str, turn: _Turn, may_be_empty: bool) -> Any:
    if isinstance(value, str):
        if not value and not may_be_empty:
            return check.error(path, f"{path} must not be empty")
        return value
    if not isinstance(value, list | tuple):
        if value is None:
            return check.error(path, f"{path} is required")
        return check.error(path, f"{path} must be a string or a list of content blocks")
    if not value and not may_be_empty:
        return check.error(path, f"{path} must contain at least one content block")
    blocks = []
    for index, block in enumerate(value):
        checked = check_block(check, block, join(path, index), turn)
        if checked is not None and checked is not INVALID:
            blocks.append(checked)
    if value and not blocks and not check.errors:
        return check.error(path, f"{path} has nothing left to send once ignored blocks are dropped")
    return blocks


def check_block(check: Checker, block: Any, path: str, turn: _Turn) -> Any:
    """The block to send, None if the profile ignores its type, INVALID on errors."""
    if check.object(block, path) is INVALID:
        return INVALID
    kind = block.get("type")
    type_path = join(path, "type")
    if kind is None:
        return check.error(type_path, f"{type_path} is required")
    if kind not in _CHECKS:
        expected = ", ".join(PROFILE_BLOCKS)
        return check.error(
            type_path,
            f"{type_path} {kind!r} is not a content block type (expected one of {expected})",
        )
    match check.profile.block_support(kind):
        case Support.REJECTED:
            return check.error(type_path, f"{path}: {check.profile.block_notice(kind)}")
        case Support.IGNORED:
            check.warn(check.profile.block_notice(kind) or kind)
            return None
    if kind in _ASSISTANT_ONLY and turn.role == "user":
        return check.error(type_path, f"{path}: {kind} blocks belong in assistant messages")
    if kind in _USER_ONLY and turn.role == "assistant":
        return check.error(type_path, f"{path}: {kind} blocks belong in user messages")
    return _CHECKS[kind](check, block, path, turn)


def _required(check: Checker, block: Mapping[str, Any], key: str, path: str) -> Any:
    if block.get(key) is None:
        return check.error(join(path, key), f"{join(path, key)} is required")
    return block[key]


def _required_string(check: Checker, block: Mapping[str, Any], key: str, path: str) -> Any:
    value = _required(check, block, key, path)
    return value if value is INVALID else check.string(value, join(path, key), non_empty=True)


def _start(check: Checker, block: Mapping[str, Any], path: str, keys: frozenset[str]) -> dict:
    check.unknown_keys(block, path, keys | {"type", "cache_control"}, f"a {block['type']} block")
    out: dict[str, Any] = {"type": block["type"]}
    return out


def _text(check: Checker, block: Mapping[str, Any], path: str, turn: _Turn) -> dict:
    out = _start(check, block, path, frozenset({"text", "citations"}))
    text = _required(check, block, "text", path)
    if text is not INVALID and check.string(text, join(path, "text")) is not INVALID:
        if not text:
            check.error(join(path, "text"), f"{join(path, 'text')} must not be empty")
        out["text"] = text
    check.optional(block, out, "citations", path, check.array, profile_field="citations")
    check.cache_control(block, out, path)
    return out


def _thinking(check: Checker, block: Mapping[str, Any], path: str, turn: _Turn) -> dict:
    out = _start(check, block, path, frozenset({"thinking", "signature"}))
    for key in ("thinking", "signature"):
        value = _required(check, block, key, path)
        if value is not INVALID and check.string(value, join(path, key)) is not INVALID:
            out[key] = value
    return out


def _redacted_thinking(check: Checker, block: Mapping[str, Any], path: str, turn: _Turn) -> dict:
    out = _start(check, block, path, frozenset({"data"}))
    out["data"] = _required_string(check, block, "data", path)
    return out


def _tool_use(check: Checker, block: Mapping[str, Any], path: str, turn: _Turn) -> dict:
    out = _start(check, block, path, frozenset({"id", "name", "input", "caller", "toolset_name"}))
    out["id"] = _required_string(check, block, "id", path)
    out["name"] = _required_string(check, block, "name", path)
    tool_input = _required(check, block, "input", path)
    if tool_input is not INVALID:
        out["input"] = check.object(tool_input, join(path, "input"))
    if isinstance(out["id"], str):
        turn.tool_ids.add(out["id"])
    check.optional(block, out, "caller", path, check.object, profile_field="caller")
    check.optional(block, out, "toolset_name", path, check.string, profile_field="toolset_name")
    check.cache_control(block, out, path)
    return out


def _tool_result(check: Checker, block: Mapping[str, Any], path: str, turn: _Turn) -> dict:
    keys = frozenset({"tool_use_id", "content", "is_error", "toolset_name"})
    out = _start(check, block, path, keys)
    tool_use_id = _required_string(check, block, "tool_use_id", path)
    if isinstance(tool_use_id, str) and tool_use_id not in turn.answerable_tool_ids:
        check.error(
            join(path, "tool_use_id"),
            f"{join(path, 'tool_use_id')} {tool_use_id!r} answers no tool_use block of the "
            "previous assistant message",
        )
    out["tool_use_id"] = tool_use_id
    content = block.get("content")
    if isinstance(content, str):
        out["content"] = content
    elif isinstance(content, list | tuple):
        inner = []
        for index, item in enumerate(content):
            item_path = join(join(path, "content"), index)
            kind = item.get("type") if isinstance(item, Mapping) else None
            if kind is not None and kind not in _TOOL_RESULT_BLOCKS:
                check.error(
                    join(item_path, "type"), f"{item_path}: a tool_result cannot hold {kind} blocks"
                )
                continue
            checked = check_block(check, item, item_path, _Turn("user", frozenset()))
            if checked is not None and checked is not INVALID:
                inner.append(checked)
        out["content"] = inner
    elif content is not None:
        check.error(
            join(path, "content"), f"{join(path, 'content')} must be a string or a list of blocks"
        )
    check.optional(block, out, "is_error", path, check.boolean, profile_field="is_error")
    check.optional(block, out, "toolset_name", path, check.string, profile_field="toolset_name")
    check.cache_control(block, out, path)
    return out


def _image(check: Checker, block: Mapping[str, Any], path: str, turn: _Turn) -> dict:
    out = _start(check, block, path, frozenset({"source", "transformations"}))
    source = _source(check, block, path, _IMAGE_SOURCES)
    if isinstance(source, Mapping) and source.get("type") == "base64":
        check.choice(source.get("media_type"), join(path, "source.media_type"), _IMAGE_MEDIA_TYPES)
    out["source"] = source
    check.optional(block, out, "transformations", path, check.object)
    check.cache_control(block, out, path)
    return out


def _document(check: Checker, block: Mapping[str, Any], path: str, turn: _Turn) -> dict:
    out = _start(check, block, path, frozenset({"source", "title", "context", "citations"}))
    out["source"] = _source(check, block, path, _DOCUMENT_SOURCES)
    for key in ("title", "context"):
        check.optional(block, out, key, path, check.string)
    check.optional(block, out, "citations", path, check.object, profile_field="citations")
    check.cache_control(block, out, path)
    return out


def _search_result(check: Checker, block: Mapping[str, Any], path: str, turn: _Turn) -> dict:
    out = _start(check, block, path, frozenset({"source", "title", "content", "citations"}))
    out["source"] = _required_string(check, block, "source", path)
    out["title"] = _required_string(check, block, "title", path)
    content = _required(check, block, "content", path)
    if content is not INVALID and check.array(content, join(path, "content")) is not INVALID:
        out["content"] = [
            _text(check, item, join(join(path, "content"), index), turn)
            for index, item in enumerate(content)
            if check.object(item, join(join(path, "content"), index)) is not INVALID
        ]
    check.optional(block, out, "citations", path, check.object, profile_field="citations")
    check.cache_control(block, out, path)
    return out


def _source(check: Checker, block: Mapping[str, Any], path: str, kinds: tuple[str, ...]) -> Any:
    source = _required(check, block, "source", path)
    if source is INVALID or check.object(source, join(path, "source")) is INVALID:
        return INVALID
    check.choice(source.get("type"), join(path, "source.type"), kinds)
    return dict(source)


def _server_block(check: Checker, block: Mapping[str, Any], path: str, turn: _Turn) -> dict:
    """Server tool blocks are the upstream's own output played back: passed on as they are."""
    return dict(block)


_CHECKS: dict[str, Callable[[Checker, Mapping[str, Any], str, _Turn], dict]] = {
    "text": _text,
    "thinking": _thinking,
    "redacted_thinking": _redacted_thinking,
    "tool_use": _tool_use,
    "tool_result": _tool_result,
    "image": _image,
    "document": _document,
    "search_result": _search_result,
    **dict.fromkeys(SERVER_TOOL_BLOCKS, _server_block),
}
