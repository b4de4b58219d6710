"""Template filters for the message template."""

from __future__ import annotations

import json
from typing import Any

from django import template

register = template.Library()


@register.filter
def at(mapping: dict | None, key: Any) -> Any:
    """``mapping[key]``, or None: the template language has no lookup by a variable key."""
    return (mapping or {}).get(key)


@register.filter
def as_json(value: Any) -> str:
    """A tool's input as indented JSON text (escaped by the template like any other text)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)
