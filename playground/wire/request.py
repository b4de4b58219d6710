"""Building a Messages request body from user settings, checked against a provider's profile.

``build_request`` collects every error (``RequestInvalid.errors``: dotted field paths and
sentences that name the field and the rule) and returns the body to send plus warnings for the
fields the profile ignores, which are not sent. It serves the playground form, the websocket and
the import of a whole request body alike. ``None`` for an optional field means "not set".
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from playground.wire.profiles import CompatibilityProfile, Support
from playground.wire.request_content import check_messages, check_system
from playground.wire.request_tools import check_tool_choice, check_tools
from playground.wire.validation import INVALID, Checker, FieldError, RequestInvalid, join

__all__ = ["BuiltRequest", "FieldError", "RequestInvalid", "build_request"]

# Anthropic's minimum when budget_tokens is honoured.
_MIN_THINKING_BUDGET = 1024
_MAX_MODEL_NAME = 256
_SERVICE_TIERS = ("auto", "standard_only")
_SPEEDS = ("standard", "fast")


@dataclass(frozen=True)
class BuiltRequest:
    body: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def build_request(
    params: Mapping[str, Any], *, profile: CompatibilityProfile, stream: bool = True
) -> BuiltRequest:
    """The body to POST to ``/v1/messages``; RequestInvalid listing every problem otherwise."""
    if not isinstance(params, Mapping):
        raise RequestInvalid([FieldError("", "The request must be a JSON object.")])
    check = Checker(profile)
    for key in params:
        if key not in _FIELDS:
            check.error(key, f"{key} is not a field of a Messages request")
    body: dict[str, Any] = {}
    for key, build in _FIELDS.items():
        value = params.get(key)
        if value is None and key not in _REQUIRED:
            continue
        built = build(check, value, params, body)
        if built is not INVALID and built is not None:
            body[key] = built
    if check.errors:
        raise RequestInvalid(check.errors, warnings=check.warnings)
    body["stream"] = stream
    return BuiltRequest(body=copy.deepcopy(body), warnings=check.warnings)


def _model(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    if value is None:
        return check.error("model", "model is required")
    if check.string(value, "model", non_empty=True) is INVALID:
        return INVALID
    if len(value) > _MAX_MODEL_NAME:
        return check.error("model", f"model must be at most {_MAX_MODEL_NAME} characters")
    return value.strip()


def _max_tokens(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    if value is None:
        return check.error("max_tokens", "max_tokens is required")
    limit = check.profile.max_tokens_limit
    return check.integer(value, "max_tokens", minimum=1, maximum=limit, limit_of=check.profile.name)


def _system(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    return check_system(check, value)


def _messages(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    return check_messages(check, value)


def _temperature(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    maximum = check.profile.temperature_max
    return check.number(
        value, "temperature", minimum=0, maximum=maximum, limit_of=check.profile.name
    )


def _top_p(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    return check.number(value, "top_p", minimum=0, maximum=1)


def _top_k(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    if not check.allowed("top_k", "top_k"):
        return None
    return check.integer(value, "top_k", minimum=0)


def _stop_sequences(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    if check.array(value, "stop_sequences") is INVALID:
        return INVALID
    limit = check.profile.max_stop_sequences
    if limit is not None and len(value) > limit:
        check.error(
            "stop_sequences",
            f"stop_sequences may hold at most {limit} for {check.profile.name}, not {len(value)}",
        )
    sequences = []
    for index, sequence in enumerate(value):
        path = join("stop_sequences", index)
        if check.string(sequence, path) is INVALID:
            continue
        if not sequence.strip():
            check.error(path, f"{path} must contain something other than whitespace")
            continue
        sequences.append(sequence)
    return sequences or None


def _thinking(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    if check.object(value, "thinking") is INVALID:
        return INVALID
    check.unknown_keys(
        value, "thinking", frozenset({"type", "budget_tokens", "display"}), "thinking"
    )
    kind = check.choice(value.get("type"), "thinking.type", check.profile.thinking_types)
    if kind is INVALID:
        return INVALID
    out: dict[str, Any] = {"type": kind}
    if kind == "disabled":
        return out
    budget = value.get("budget_tokens")
    if budget is not None and check.allowed("thinking.budget_tokens", "thinking.budget_tokens"):
        max_tokens = body.get("max_tokens")
        maximum = max_tokens - 1 if isinstance(max_tokens, int) else None
        budget = check.integer(
            budget, "thinking.budget_tokens", minimum=_MIN_THINKING_BUDGET, maximum=maximum
        )
        if budget is not INVALID:
            out["budget_tokens"] = budget
    elif budget is None and kind == "enabled" and _budget_required(check):
        check.error(
            "thinking.budget_tokens",
            'thinking.budget_tokens is required when thinking is "enabled"',
        )
    check.optional(
        value,
        out,
        "display",
        "thinking",
        lambda v, p: check.choice(v, p, ("summarized", "omitted")),
        profile_field="thinking.display",
    )
    return out


def _budget_required(check: Checker) -> bool:
    return check.profile.field_support("thinking.budget_tokens") is Support.HONOURED


def _output_config(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    if check.object(value, "output_config") is INVALID:
        return INVALID
    check.unknown_keys(value, "output_config", frozenset({"effort", "format"}), "output_config")
    out: dict[str, Any] = {}
    check.optional(
        value,
        out,
        "effort",
        "output_config",
        lambda v, p: check.choice(v, p, check.profile.effort_levels),
    )
    check.optional(
        value, out, "format", "output_config", check.object, profile_field="output_config.format"
    )
    return out or None


def _tools(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    tools, _ = check_tools(check, value)
    return tools


def _tool_choice(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    # Names come from the tools as given, so that a tool with an error elsewhere still counts.
    tools = params.get("tools")
    tools = tools if isinstance(tools, list | tuple) else []
    names = [t["name"] for t in tools if isinstance(t, Mapping) and isinstance(t.get("name"), str)]
    return check_tool_choice(check, value, names, bool(tools))


def _stream(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
    check.boolean(value, "stream")
    return None  # the caller's ``stream`` argument decides


def _passed_on(check_value: str) -> Any:
    """A field we check only for its shape and pass on where the profile honours it."""

    def build(check: Checker, value: Any, params: Mapping[str, Any], body: dict) -> Any:
        if not check.allowed(check_value, check_value):
            return None
        return _SHAPES[check_value](check, value, check_value)

    return build


def _metadata(check: Checker, value: Any, path: str) -> Any:
    if check.object(value, path) is INVALID:
        return INVALID
    check.unknown_keys(value, path, frozenset({"user_id"}), path)
    if value.get("user_id") is not None:
        check.string(value["user_id"], join(path, "user_id"))
    return dict(value)


def _string_or_object(check: Checker, value: Any, path: str) -> Any:
    if isinstance(value, str | Mapping):
        return value
    return check.error(path, f"{path} must be a string or an object")


_SHAPES = {
    "metadata": _metadata,
    "service_tier": lambda check, value, path: check.choice(value, path, _SERVICE_TIERS),
    "container": _string_or_object,
    "mcp_servers": lambda check, value, path: check.array(value, path),
    "context_management": lambda check, value, path: check.object(value, path),
    "diagnostics": lambda check, value, path: check.object(value, path),
    "inference_geo": lambda check, value, path: check.string(value, path, non_empty=True),
    "speed": lambda check, value, path: check.choice(value, path, _SPEEDS),
    "user_profile_id": lambda check, value, path: check.string(value, path, non_empty=True),
    "workspace_id": lambda check, value, path: check.string(value, path, non_empty=True),
    "cache_control": lambda check, value, path: check.cache_control_value(value, path),
}

# In the order the body is written; tool_choice after tools, thinking after max_tokens.
_FIELDS = {
    "model": _model,
    "max_tokens": _max_tokens,
    "system": _system,
    "messages": _messages,
    "temperature": _temperature,
    "top_p": _top_p,
    "top_k": _top_k,
    "stop_sequences": _stop_sequences,
    "thinking": _thinking,
    "output_config": _output_config,
    "tools": _tools,
    "tool_choice": _tool_choice,
    "stream": _stream,
    **{name: _passed_on(name) for name in _SHAPES},
}
_REQUIRED = frozenset({"model", "max_tokens", "messages"})
