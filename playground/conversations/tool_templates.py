"""The tool definitions the Tools editor offers under "Insert template"."""

from __future__ import annotations

from typing import Any

TOOL_TEMPLATES: dict[str, dict[str, Any]] = {
    "weather": {
        "name": "get_weather",
        "description": "Get the current weather in a given city.",
        "input_schema": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "The city, e.g. Paris"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city"],
        },
    },
    "calculator": {
        "name": "calculator",
        "description": "Evaluate an arithmetic expression and return the result.",
        "input_schema": {
            "type": "object",
            "properties": {
                "expression": {"type": "string", "description": "For example (2 + 3) * 4"}
            },
            "required": ["expression"],
        },
    },
    "search": {
        "name": "web_search",
        "description": "Search the web and return the titles and links of the top results.",
        "input_schema": {
            "type": "object",
            "properties": {
                "query": {"type": "string"},
                "max_results": {"type": "integer", "minimum": 1, "maximum": 10},
            },
            "required": ["query"],
        },
    },
}

TEMPLATE_LABELS = {"weather": "Weather", "calculator": "Calculator", "search": "Search"}
