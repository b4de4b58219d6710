"""Tool definitions and tool_choice: names, schemas, and choices that refer to real tools."""

from __future__ import annotations

import pytest

from playground.wire.profiles import ANTHROPIC, DEEPSEEK
from playground.wire.request import build_request
from tests.wire.request_helpers import errors_of, valid

WEATHER = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
        "required": ["city"],
    },
}


def with_tool(**changes) -> dict:
    return valid(tools=[{**WEATHER, **changes}])


def test_a_well_formed_tool_and_choice_are_sent_as_given():
    body = build_request(
        valid(tools=[WEATHER], tool_choice={"type": "tool", "name": "get_weather"}),
        profile=DEEPSEEK,
    ).body
    assert body["tools"] == [WEATHER]
    assert body["tool_choice"] == {"type": "tool", "name": "get_weather"}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": None}, "tools.0.name", "tools.0.name is required"),
        ({"name": ""}, "tools.0.name", "tools.0.name must not be empty"),
        ({"name": "get weather"}, "tools.0.name", "may only contain letters, digits, _ and -"),
        ({"name": "wetter.heute"}, "tools.0.name", "may only contain letters, digits, _ and -"),
        ({"name": "x" * 65}, "tools.0.name", "must be at most 64 characters for DeepSeek"),
        ({"input_schema": None}, "tools.0.input_schema", "tools.0.input_schema is required"),
        ({"input_schema": "object"}, "tools.0.input_schema", "must be a JSON Schema object"),
        ({"input_schema": {"type": "array"}}, "tools.0.input_schema.type", 'must be "object"'),
        ({"input_schema": {"properties": {}}}, "tools.0.input_schema.type", 'must be "object"'),
        (
            {"input_schema": {"type": "object", "properties": []}},
            "tools.0.input_schema.properties",
            "must be an object",
        ),
        (
            {"input_schema": {"type": "object", "properties": {"a": 3}}},
            "tools.0.input_schema.properties.a",
            "must be a JSON Schema",
        ),
        (
            {"input_schema": {"type": "object", "required": "city"}},
            "tools.0.input_schema.required",
            "must be a list of property names",
        ),
        (
            {"input_schema": {"type": "object", "required": ["a", "a"]}},
            "tools.0.input_schema.required",
            "must not name a property twice",
        ),
        ({"description": 5}, "tools.0.description", "tools.0.description must be a string"),
        ({"colour": "red"}, "tools.0.colour", "tools.0.colour is not a field of a tool"),
    ],
)
def test_a_broken_tool_names_the_tool_field_and_the_rule(changes, field, words):
    errors = errors_of(with_tool(**changes))
    assert field in errors, errors
    assert words in errors[field]


def test_tool_names_must_be_unique():
    errors = errors_of(valid(tools=[WEATHER, WEATHER]))
    assert errors == {
        "tools.1.name": "tools.1.name 'get_weather' is already the name of another tool"
    }


def test_anthropic_allows_longer_tool_names():
    build_request(with_tool(name="x" * 100), profile=ANTHROPIC)


def test_server_tools_are_refused_for_deepseek_and_passed_on_for_anthropic():
    search = {"type": "web_search_20250305", "name": "web_search", "max_uses": 3}
    errors = errors_of(valid(tools=[search]))
    assert errors == {"tools.0.type": "tools.0.type: server tools are not supported by DeepSeek"}
    assert build_request(valid(tools=[search]), profile=ANTHROPIC).body["tools"] == [search]


@pytest.mark.parametrize("kind", ["auto", "any", "none"])
def test_tool_choice_auto_any_and_none_are_accepted(kind):
    body = build_request(valid(tools=[WEATHER], tool_choice={"type": kind}), profile=DEEPSEEK).body
    assert body["tool_choice"] == {"type": kind}


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        (
            {"tool_choice": {"type": "tool", "name": "get_time"}},
            "tool_choice.name",
            "'get_time' is not the name of a tool",
        ),
        (
            {"tool_choice": {"type": "tool"}},
            "tool_choice.name",
            'tool_choice.name is required when the type is "tool"',
        ),
        (
            {"tool_choice": {"type": "auto", "name": "get_weather"}},
            "tool_choice.name",
            "only allowed when the type",
        ),
        (
            {"tool_choice": {"type": "required"}},
            "tool_choice.type",
            'must be one of "auto", "any", "tool", "none"',
        ),
        ({"tool_choice": "auto"}, "tool_choice", "tool_choice must be an object"),
    ],
)
def test_a_broken_tool_choice_names_the_rule(params, field, words):
    errors = errors_of(valid(tools=[WEATHER], **params))
    assert field in errors, errors
    assert words in errors[field]


def test_any_or_a_named_tool_needs_tools():
    errors = errors_of(valid(tool_choice={"type": "any"}))
    assert errors == {"tool_choice.type": 'tool_choice "any" needs at least one tool in tools'}


def test_a_tool_choice_naming_a_tool_with_another_error_is_not_blamed_twice():
    errors = errors_of(
        valid(
            tools=[{**WEATHER, "input_schema": {}}],
            tool_choice={"type": "tool", "name": "get_weather"},
        )
    )
    assert list(errors) == ["tools.0.input_schema.type"]


def test_disable_parallel_tool_use_is_dropped_for_deepseek_with_a_warning():
    built = build_request(
        valid(tools=[WEATHER], tool_choice={"type": "auto", "disable_parallel_tool_use": True}),
        profile=DEEPSEEK,
    )
    assert built.body["tool_choice"] == {"type": "auto"}
    assert built.warnings == ["disable_parallel_tool_use is ignored by DeepSeek"]
