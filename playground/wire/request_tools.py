"""Checking tool definitions and ``tool_choice``.

A custom tool needs a name (letters, digits, ``_`` and ``-``; unique; at most the profile's
length) and an ``input_schema`` that is a JSON Schema object (``"type": "object"``). Server tools
(``web_search_20250305`` and friends) pass only where the profile honours ``server_tools``.
``tool_choice`` ``tool`` must name one of the tools; ``any`` and ``tool`` need tools at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from playground.wire.validation import INVALID, Checker, describe, join

_NAME = re.compile(r"[A-Za-z0-9_-]+")
_CUSTOM_KEYS = frozenset({"name", "description", "input_schema", "type", "cache_control"})
# Optional tool settings that only some upstreams know; the profile says what becomes of them.
_PROFILED_KEYS = {
    "strict": "tools.strict",
    "input_examples": "tools.input_examples",
    "defer_loading": "tools.defer_loading",
    "allowed_callers": "tools.allowed_callers",
    "eager_input_streaming": "tools.eager_input_streaming",
}
_TOOL_CHOICES = ("auto", "any", "tool", "none")


def check_tools(check: Checker, value: Any) -> tuple[Any, list[str]]:
    """The tools to send (None when there are none) and the names a tool_choice may use."""
    if check.array(value, "tools") is INVALID:
        return INVALID, []
    tools: list[dict[str, Any]] = []
    names: list[str] = []
    for index, tool in enumerate(value):
        path = join("tools", index)
        if check.object(tool, path) is INVALID:
            continue
        kind = tool.get("type")
        if kind not in (None, "custom"):
            checked = _server_tool(check, tool, path, kind)
        else:
            checked = _custom_tool(check, tool, path, names)
        if checked is not INVALID:
            tools.append(checked)
            if isinstance(checked.get("name"), str):
                names.append(checked["name"])
    return tools or None, names


def _server_tool(check: Checker, tool: Mapping[str, Any], path: str, kind: Any) -> Any:
    if not isinstance(kind, str):
        return check.error(join(path, "type"), f"{join(path, 'type')} must be a string")
    if not check.allowed("server_tools", join(path, "type")):
        return INVALID
    if not isinstance(tool.get("name"), str):
        return check.error(join(path, "name"), f"{join(path, 'name')} is required")
    return dict(tool)


def _custom_tool(check: Checker, tool: Mapping[str, Any], path: str, names: list[str]) -> Any:
    check.unknown_keys(tool, path, _CUSTOM_KEYS | set(_PROFILED_KEYS), "a tool")
    out: dict[str, Any] = {}
    name = _tool_name(check, tool.get("name"), join(path, "name"), names)
    if name is not INVALID:
        out["name"] = name
    check.optional(tool, out, "description", path, check.string)
    schema = tool.get("input_schema")
    schema_path = join(path, "input_schema")
    if schema is None:
        check.error(schema_path, f"{schema_path} is required")
    elif _input_schema(check, schema, schema_path) is not INVALID:
        out["input_schema"] = schema
    if tool.get("type") is not None:
        out["type"] = "custom"
    for key, profile_field in _PROFILED_KEYS.items():
        check.optional(tool, out, key, path, _any, profile_field=profile_field)
    check.cache_control(tool, out, path)
    return out


def _tool_name(check: Checker, name: Any, path: str, taken: list[str]) -> Any:
    if name is None:
        return check.error(path, f"{path} is required")
    if check.string(name, path, non_empty=True) is INVALID:
        return INVALID
    limit = check.profile.tool_name_max_length
    if not _NAME.fullmatch(name):
        return check.error(
            path, f"{path} may only contain letters, digits, _ and -, not {describe(name)}"
        )
    if len(name) > limit:
        return check.error(
            path, f"{path} must be at most {limit} characters for {check.profile.name}"
        )
    if name in taken:
        return check.error(path, f"{path} {name!r} is already the name of another tool")
    return name


def _input_schema(check: Checker, schema: Any, path: str) -> Any:
    """The top of a JSON Schema for an object: type "object", and well-formed when it has
    properties and required (the rest of JSON Schema is the upstream's to judge)."""
    if not isinstance(schema, Mapping):
        return check.error(path, f"{path} must be a JSON Schema object, not {describe(schema)}")
    if schema.get("type") != "object":
        return check.error(
            join(path, "type"),
            f'{join(path, "type")} must be "object" (a tool takes an object as input), '
            f"not {describe(schema.get('type'))}",
        )
    properties = schema.get("properties")
    if properties is not None:
        if not isinstance(properties, Mapping):
            return check.error(
                join(path, "properties"), f"{join(path, 'properties')} must be an object"
            )
        for key, subschema in properties.items():
            if not isinstance(subschema, Mapping | bool):
                where = join(join(path, "properties"), key)
                return check.error(where, f"{where} must be a JSON Schema (an object)")
    required = schema.get("required")
    if required is not None:
        where = join(path, "required")
        if not isinstance(required, list) or not all(isinstance(k, str) for k in required):
            return check.error(where, f"{where} must be a list of property names")
        if len(set(required)) != len(required):
            return check.error(where, f"{where} must not name a property twice")
    return schema


def check_tool_choice(check: Checker, value: Any, tool_names: list[str], has_tools: bool) -> Any:
    path = "tool_choice"
    if check.object(value, path) is INVALID:
        return INVALID
    check.unknown_keys(value, path, frozenset({"type", "name", "disable_parallel_tool_use"}), path)
    kind = check.choice(value.get("type"), join(path, "type"), _TOOL_CHOICES)
    if kind is INVALID:
        return INVALID
    out: dict[str, Any] = {"type": kind}
    if kind in ("any", "tool") and not has_tools:
        return check.error(
            join(path, "type"), f'tool_choice "{kind}" needs at least one tool in tools'
        )
    if kind == "tool":
        name = value.get("name")
        if name is None:
            return check.error(
                join(path, "name"), 'tool_choice.name is required when the type is "tool"'
            )
        if name not in tool_names:
            return check.error(
                join(path, "name"),
                f"tool_choice.name {describe(name)} is not the name of a tool in tools",
            )
        out["name"] = name
    elif value.get("name") is not None:
        check.error(join(path, "name"), 'tool_choice.name is only allowed when the type is "tool"')
    if kind != "none":
        check.optional(
            value,
            out,
            "disable_parallel_tool_use",
            path,
            check.boolean,
            profile_field="disable_parallel_tool_use",
        )
    return out


def _any(value: Any, path: str) -> Any:
    return value
