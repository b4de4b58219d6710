"""Compatibility profiles: what an Anthropic-compatible upstream does with each part of a request.

For every optional request field and every content block type a profile says *honoured* (sent),
*ignored* (the upstream would disregard it: we send nothing and warn) or *rejected* (the upstream
refuses it: the request is not sent and the user is told why). The form warns from the profile
before sending; the request builder uses it so that nothing a provider rejects ever leaves.

The built-in data is DeepSeek's and EvoLink's published compatibility tables (see DESIGN.md).
Custom endpoints keep their profile as JSON; ``from_dict`` is the gate for that JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Support(StrEnum):
    HONOURED = "honoured"
    IGNORED = "ignored"
    REJECTED = "rejected"


# Optional request parts a profile may describe. Dotted names are keys inside an object; the
# unqualified cache_control, citations and is_error mean "wherever they appear".
PROFILE_FIELDS = (
    "top_k",
    "metadata",
    "service_tier",
    "container",
    "mcp_servers",
    "context_management",
    "diagnostics",
    "inference_geo",
    "speed",
    "user_profile_id",
    "workspace_id",
    "cache_control",
    "citations",
    "is_error",
    "caller",
    "toolset_name",
    "disable_parallel_tool_use",
    "thinking.budget_tokens",
    "thinking.display",
    "output_config.format",
    "server_tools",
    "tools.strict",
    "tools.input_examples",
    "tools.defer_loading",
    "tools.allowed_callers",
    "tools.eager_input_streaming",
    "anthropic-beta",
    "anthropic-version",
)

CORE_BLOCKS = ("text", "thinking", "tool_use", "tool_result")
SERVER_TOOL_BLOCKS = (
    "server_tool_use",
    "web_search_tool_result",
    "web_fetch_tool_result",
    "code_execution_tool_result",
    "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result",
    "tool_search_tool_result",
    "mcp_tool_use",
    "mcp_tool_result",
    "container_upload",
)
PROFILE_BLOCKS = (
    *CORE_BLOCKS,
    "image",
    "document",
    "search_result",
    "redacted_thinking",
    *SERVER_TOOL_BLOCKS,
)

THINKING_TYPES = ("enabled", "disabled", "adaptive")
EFFORT_LEVELS = ("low", "medium", "high", "xhigh", "max")

# How a field reads in a sentence, when its bare name would read oddly.
_FIELD_WORDS = {
    "server_tools": "server tools",
    "anthropic-beta": "the anthropic-beta header",
    "anthropic-version": "the anthropic-version header",
}


@dataclass(frozen=True)
class CompatibilityProfile:
    """What one upstream honours, ignores or rejects, and its limits (None: no limit we know)."""

    name: str
    fields: Mapping[str, Support] = field(default_factory=dict, hash=False)
    blocks: Mapping[str, Support] = field(default_factory=dict, hash=False)
    max_tokens_limit: int | None = 384_000
    max_stop_sequences: int | None = 4
    temperature_max: float = 2.0
    thinking_types: tuple[str, ...] = ("enabled", "disabled")
    effort_levels: tuple[str, ...] = EFFORT_LEVELS
    tool_name_max_length: int = 64

    def __post_init__(self) -> None:
        # Read-only views, so that a shared built-in profile cannot be changed by accident.
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))
        object.__setattr__(self, "blocks", MappingProxyType(dict(self.blocks)))

    def field_support(self, name: str) -> Support:
        return self.fields.get(name, Support.HONOURED)

    def block_support(self, type: str) -> Support:
        return self.blocks.get(type, Support.HONOURED)

    def field_notice(self, name: str) -> str | None:
        """ "top_k is ignored by DeepSeek", or None when the field is honoured."""
        words = _FIELD_WORDS.get(name, name)
        verb = "are" if words.endswith("tools") else "is"
        match self.field_support(name):
            case Support.IGNORED:
                return f"{words} {verb} ignored by {self.name}"
            case Support.REJECTED:
                return f"{words} {verb} not supported by {self.name}"
        return None

    def block_notice(self, type: str) -> str | None:
        """ "image blocks are not supported by DeepSeek", or None when the type is honoured."""
        match self.block_support(type):
            case Support.IGNORED:
                return f"{type} blocks are ignored by {self.name}"
            case Support.REJECTED:
                return f"{type} blocks are not supported by {self.name}"
        return None

    def notices(self) -> list[str]:
        """Every field and block type this profile does not honour, as sentences."""
        sentences = [self.field_notice(name) for name in PROFILE_FIELDS]
        sentences += [self.block_notice(type) for type in PROFILE_BLOCKS]
        return [sentence for sentence in sentences if sentence]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "fields": {name: str(support) for name, support in self.fields.items()},
            "blocks": {type: str(support) for type, support in self.blocks.items()},
            "max_tokens_limit": self.max_tokens_limit,
            "max_stop_sequences": self.max_stop_sequences,
            "temperature_max": self.temperature_max,
            "thinking_types": list(self.thinking_types),
            "effort_levels": list(self.effort_levels),
            "tool_name_max_length": self.tool_name_max_length,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CompatibilityProfile:
        """Rebuild a profile from ``to_dict`` output; ValueError naming the bad key otherwise.

        Keys other than ``name`` may be left out: they take the defaults, which describe a
        DeepSeek-like endpoint that honours everything.
        """
        if not isinstance(data, Mapping):
            raise ValueError("a compatibility profile must be a JSON object")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown compatibility profile key(s): {', '.join(unknown)}")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError("profile name must be a non-empty string")
        values: dict[str, Any] = {"name": name.strip()}
        if "fields" in data:
            values["fields"] = _supports(data["fields"], "fields", PROFILE_FIELDS)
        if "blocks" in data:
            values["blocks"] = _supports(data["blocks"], "blocks", PROFILE_BLOCKS)
        for key in ("max_tokens_limit", "max_stop_sequences"):
            if key in data:
                values[key] = _limit(data[key], key)
        if "temperature_max" in data:
            value = data["temperature_max"]
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError("temperature_max must be a positive number")
            values["temperature_max"] = float(value)
        if "thinking_types" in data:
            values["thinking_types"] = _choices(
                data["thinking_types"], "thinking_types", THINKING_TYPES
            )
        if "effort_levels" in data:
            values["effort_levels"] = _choices(
                data["effort_levels"], "effort_levels", EFFORT_LEVELS
            )
        if "tool_name_max_length" in data:
            length = _limit(data["tool_name_max_length"], "tool_name_max_length")
            if length is None:
                raise ValueError("tool_name_max_length must be a whole number of at least 1")
            values["tool_name_max_length"] = length
        return cls(**values)

    def renamed(self, name: str) -> CompatibilityProfile:
        return replace(self, name=name)


def _supports(value: Any, key: str, allowed: tuple[str, ...]) -> dict[str, Support]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{key} must be an object mapping names to honoured/ignored/rejected")
    result = {}
    for name, support in value.items():
        if name not in allowed:
            raise ValueError(f"{key}: {name!r} is not one a profile can describe")
        try:
            result[name] = Support(support)
        except ValueError:
            raise ValueError(
                f"{key}.{name} must be honoured, ignored or rejected, not {support!r}"
            ) from None
    return result


def _limit(value: Any, key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{key} must be a whole number of at least 1, or null for no limit")
    return value


def _choices(value: Any, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(f"{key} must be a non-empty list")
    for item in value:
        if item not in allowed:
            raise ValueError(f"{key}: {item!r} is not one of {', '.join(allowed)}")
    return tuple(value)


_DEEPSEEK_IGNORED = (
    "top_k",
    "metadata",
    "service_tier",
    "container",
    "mcp_servers",
    "cache_control",
    "citations",
    "is_error",
    "disable_parallel_tool_use",
    "thinking.budget_tokens",
    "anthropic-beta",
    "anthropic-version",
    # Not in DeepSeek's table at all; sending an Anthropic-only field to it could only do harm.
    "caller",
    "toolset_name",
    "context_management",
    "diagnostics",
    "inference_geo",
    "speed",
    "user_profile_id",
    "workspace_id",
    "thinking.display",
    "output_config.format",
    "tools.strict",
    "tools.input_examples",
    "tools.defer_loading",
    "tools.allowed_callers",
    "tools.eager_input_streaming",
)

DEEPSEEK = CompatibilityProfile(
    name="DeepSeek",
    fields={
        **dict.fromkeys(_DEEPSEEK_IGNORED, Support.IGNORED),
        "server_tools": Support.REJECTED,
    },
    blocks={
        **dict.fromkeys(CORE_BLOCKS, Support.HONOURED),
        **dict.fromkeys(
            ("image", "document", "search_result", "redacted_thinking", *SERVER_TOOL_BLOCKS),
            Support.REJECTED,
        ),
    },
)

# EvoLink's table names only image and document as unsupported, and ignores nothing.
EVOLINK = CompatibilityProfile(
    name="EvoLink",
    fields={},
    blocks={
        **dict.fromkeys(PROFILE_BLOCKS, Support.HONOURED),
        "image": Support.REJECTED,
        "document": Support.REJECTED,
    },
)

# The Simulator speaks the protocol as DeepSeek does, limits and gaps included.
SIMULATOR = DEEPSEEK.renamed("the Simulator")

# A real Anthropic endpoint: everything honoured; the starting point for custom endpoints.
ANTHROPIC = CompatibilityProfile(
    name="Anthropic",
    fields=dict.fromkeys(PROFILE_FIELDS, Support.HONOURED),
    blocks=dict.fromkeys(PROFILE_BLOCKS, Support.HONOURED),
    max_tokens_limit=None,
    max_stop_sequences=None,
    temperature_max=1.0,
    thinking_types=THINKING_TYPES,
    tool_name_max_length=128,
)
