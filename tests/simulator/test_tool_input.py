"""Tool inputs follow the tool's JSON Schema and are the same for the same seed."""

from __future__ import annotations

from random import Random

from playground.simulator.tool_input import tool_input

SCHEMA = {
    "type": "object",
    "properties": {
        "query": {"type": "string", "minLength": 20, "maxLength": 24},
        "limit": {"type": "integer", "minimum": 5, "maximum": 9},
        "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 2},
        "mode": {"type": "string", "enum": ["fast", "slow"]},
        "strict": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
        "kind": {"const": "search"},
        "page": {"type": ["integer", "null"], "default": 1},
        "filter": {
            "type": "object",
            "properties": {"field": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
            "required": ["field"],
        },
    },
    "required": ["query", "limit", "ratio", "mode", "strict", "tags", "kind", "page", "filter"],
}


def test_required_properties_have_values_of_the_right_type_within_bounds():
    for seed in range(50):
        value = tool_input(SCHEMA, Random(seed))

        assert 20 <= len(value["query"]) <= 24
        assert 5 <= value["limit"] <= 9 and isinstance(value["limit"], int)
        assert 0 < value["ratio"] < 2
        assert value["mode"] in ("fast", "slow")
        assert isinstance(value["strict"], bool)
        assert len(value["tags"]) == 2 and all(isinstance(t, str) for t in value["tags"])
        assert value["kind"] == "search"
        assert value["page"] == 1
        assert isinstance(value["filter"]["field"], str)


def test_optional_properties_come_and_go_with_the_seed():
    schema = {"type": "object", "properties": {name: {"type": "string"} for name in "abcdef"}}

    sizes = {len(tool_input(schema, Random(seed))) for seed in range(30)}

    assert len(sizes) > 2


def test_the_same_seed_gives_the_same_input():
    assert tool_input(SCHEMA, Random(3)) == tool_input(SCHEMA, Random(3))


def test_a_schema_it_cannot_follow_gives_an_empty_object():
    assert tool_input({"$ref": "#/definitions/thing"}, Random(1)) == {}
    assert tool_input({"type": "object"}, Random(1)) == {}


def test_bounds_that_are_not_finite_numbers_are_ignored():
    schema = {
        "type": "object",
        "properties": {"n": {"type": "integer", "minimum": float("inf"), "maximum": "ten"}},
        "required": ["n"],
    }

    assert isinstance(tool_input(schema, Random(1))["n"], int)


def test_absurd_sizes_are_capped():
    schema = {
        "type": "object",
        "properties": {
            "many": {"type": "array", "items": {"type": "integer"}, "minItems": 10**9},
            "long": {"type": "string", "minLength": 10**9},
        },
        "required": ["many", "long"],
    }

    value = tool_input(schema, Random(1))

    assert len(value["many"]) <= 20
    assert len(value["long"]) <= 1000
