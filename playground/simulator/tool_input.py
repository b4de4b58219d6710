"""Deterministic tool inputs generated from a tool's JSON Schema ``input_schema``.

Required properties always appear, optional ones sometimes; types, enums, consts, defaults and
numeric bounds are honoured. Unknown constructs (``$ref``, ``not``...) yield an empty object.
"""

from __future__ import annotations

import math
from random import Random
from typing import Any

_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india")
_MAX_DEPTH = 6
# Schemas may ask for absurd sizes; a simulated call stays small whatever they say.
_MAX_ITEMS = 20
_MAX_STRING = 1000


def tool_input(schema: dict[str, Any], rng: Random) -> dict[str, Any]:
    value = _value(schema, rng, name="input", depth=0)
    return value if isinstance(value, dict) else {}


def _value(schema: object, rng: Random, *, name: str, depth: int) -> Any:
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return rng.choice(schema["enum"])
    if "default" in schema:
        return schema["default"]
    for combinator in ("anyOf", "oneOf", "allOf"):
        options = schema.get(combinator)
        if isinstance(options, list) and options:
            return _value(options[0], rng, name=name, depth=depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None and "properties" in schema:
        kind = "object"
    match kind:
        case "object":
            return _object(schema, rng, depth=depth)
        case "array":
            return _array(schema, rng, name=name, depth=depth)
        case "string":
            return _string(schema, rng, name=name)
        case "integer":
            return _integer(schema, rng)
        case "number":
            return _integer(schema, rng) + rng.choice((0.0, 0.25, 0.5))
        case "boolean":
            return rng.random() < 0.5
        case _:
            return None


def _object(schema: dict[str, Any], rng: Random, *, depth: int) -> dict[str, Any]:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return {}
    required = schema.get("required") if isinstance(schema.get("required"), list) else []
    result = {}
    for key, sub in properties.items():
        if key in required or rng.random() < 0.5:
            result[key] = _value(sub, rng, name=key, depth=depth + 1)
    return result


def _array(schema: dict[str, Any], rng: Random, *, name: str, depth: int) -> list[Any]:
    low = min(_bound(schema, "minItems", 1), _MAX_ITEMS)
    high = _bound(schema, "maxItems", low + 2)
    count = rng.randint(low, max(low, min(high, low + 2)))
    return [_value(schema.get("items", {}), rng, name=name, depth=depth + 1) for _ in range(count)]


def _string(schema: dict[str, Any], rng: Random, *, name: str) -> str:
    text = f"{name.replace('_', ' ')} {rng.choice(_WORDS)}"
    low = min(_bound(schema, "minLength", 0), _MAX_STRING)
    high = _bound(schema, "maxLength", max(low, len(text)))
    return text.ljust(low, "x")[: max(low, high)]


def _integer(schema: dict[str, Any], rng: Random) -> int:
    # Draft 4 spells exclusive bounds as booleans; bool is an int, so _bound skips it on purpose.
    low = _bound(schema, "minimum", _bound(schema, "exclusiveMinimum", -1) + 1)
    high = _bound(schema, "maximum", _bound(schema, "exclusiveMaximum", low + 101) - 1)
    return rng.randint(low, max(low, high))


def _bound(schema: dict[str, Any], key: str, default: int) -> int:
    value = schema.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return math.ceil(value) if key.startswith(("min", "exclusiveMin")) else math.floor(value)
    return default
