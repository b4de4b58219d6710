"""Each top-level request rule rejects bad input with a message naming the field and the rule."""

from __future__ import annotations

import pytest

from playground.wire.profiles import ANTHROPIC, DEEPSEEK
from playground.wire.request import RequestInvalid, build_request
from tests.wire.request_helpers import errors_of, valid


def test_a_valid_request_is_accepted_as_it_is():
    built = build_request(valid(), profile=DEEPSEEK)
    assert built.body == {**valid(), "stream": True}
    assert built.warnings == []


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"model": None}, "model", "model is required"),
        ({"model": "  "}, "model", "model must not be empty"),
        ({"model": 4}, "model", "model must be a string"),
        ({"max_tokens": None}, "max_tokens", "max_tokens is required"),
        (
            {"max_tokens": 0},
            "max_tokens",
            "max_tokens must be between 1 and 384,000 for DeepSeek, not 0",
        ),
        ({"max_tokens": 384_001}, "max_tokens", "must be between 1 and 384,000 for DeepSeek"),
        ({"max_tokens": 10.5}, "max_tokens", "max_tokens must be a whole number"),
        ({"max_tokens": "100"}, "max_tokens", "max_tokens must be a whole number"),
        ({"max_tokens": True}, "max_tokens", "max_tokens must be a whole number"),
        ({"temperature": 2.5}, "temperature", "temperature must be between 0 and 2 for DeepSeek"),
        ({"temperature": -0.1}, "temperature", "temperature must be between 0 and 2"),
        ({"temperature": "hot"}, "temperature", "temperature must be a number"),
        ({"temperature": float("nan")}, "temperature", "temperature must be a number"),
        ({"top_p": 1.5}, "top_p", "top_p must be between 0 and 1, not 1.5"),
        ({"top_p": -1}, "top_p", "top_p must be between 0 and 1"),
        (
            {"stop_sequences": ["a", "b", "c", "d", "e"]},
            "stop_sequences",
            "at most 4 for DeepSeek, not 5",
        ),
        (
            {"stop_sequences": ["ok", ""]},
            "stop_sequences.1",
            "stop_sequences.1 must contain something",
        ),
        ({"stop_sequences": ["ok", "  \n"]}, "stop_sequences.1", "other than whitespace"),
        ({"stop_sequences": [7]}, "stop_sequences.0", "stop_sequences.0 must be a string"),
        ({"stop_sequences": "END"}, "stop_sequences", "stop_sequences must be a list"),
        (
            {"thinking": {"type": "sometimes"}},
            "thinking.type",
            'thinking.type must be one of "enabled", "disabled"',
        ),
        ({"thinking": "on"}, "thinking", "thinking must be an object"),
        (
            {"thinking": {"type": "enabled", "budget": 5}},
            "thinking.budget",
            "thinking.budget is not a field of thinking",
        ),
        (
            {"output_config": {"effort": "extreme"}},
            "output_config.effort",
            "output_config.effort must be one of",
        ),
        (
            {"output_config": {"verbosity": 1}},
            "output_config.verbosity",
            "is not a field of output_config",
        ),
        ({"stream": "yes"}, "stream", "stream must be true or false"),
        ({"temprature": 1}, "temprature", "temprature is not a field of a Messages request"),
    ],
)
def test_a_rule_broken_names_its_field(params, field, words):
    errors = errors_of(valid(**params))
    assert field in errors, errors
    assert words in errors[field]
    assert errors[field].startswith(field.split(".")[0])


def test_the_adaptive_thinking_type_is_for_upstreams_that_know_it():
    assert "thinking.type" in errors_of(valid(thinking={"type": "adaptive"}))
    build_request(valid(thinking={"type": "adaptive"}), profile=ANTHROPIC)


def test_anthropic_needs_a_thinking_budget_below_max_tokens():
    errors = errors_of(valid(thinking={"type": "enabled"}), ANTHROPIC)
    assert (
        errors["thinking.budget_tokens"]
        == 'thinking.budget_tokens is required when thinking is "enabled"'
    )
    errors = errors_of(
        valid(max_tokens=2000, thinking={"type": "enabled", "budget_tokens": 2000}), ANTHROPIC
    )
    assert "must be between 1,024 and 1,999" in errors["thinking.budget_tokens"]


def test_anthropic_limits_temperature_to_one_and_checks_top_k():
    errors = errors_of(valid(temperature=1.5, top_k=-1), ANTHROPIC)
    assert errors["temperature"].startswith("temperature must be between 0 and 1")
    assert errors["top_k"] == "top_k must be at least 0, not -1"


def test_every_error_is_reported_at_once():
    with pytest.raises(RequestInvalid) as raised:
        build_request(
            {"model": "", "max_tokens": 0, "messages": [], "temperature": 9, "top_p": 2},
            profile=DEEPSEEK,
        )
    fields = [error.field for error in raised.value.errors]
    assert fields == ["model", "max_tokens", "messages", "temperature", "top_p"]
    text = str(raised.value)
    assert text.startswith("The request is invalid:\n- model must not be empty\n")
    assert "- top_p must be between 0 and 1, not 2" in text


def test_an_invalid_request_still_tells_what_the_profile_would_drop():
    with pytest.raises(RequestInvalid) as raised:
        build_request(valid(top_k=5, temperature=7), profile=DEEPSEEK)
    assert [error.field for error in raised.value.errors] == ["temperature"]
    assert raised.value.warnings == ["top_k is ignored by DeepSeek"]


def test_a_request_that_is_not_an_object_is_refused():
    with pytest.raises(RequestInvalid, match="must be a JSON object"):
        build_request(["model"], profile=DEEPSEEK)


def test_none_means_not_set_for_optional_fields():
    built = build_request(valid(temperature=None, system=None, top_k=None), profile=DEEPSEEK)
    assert "temperature" not in built.body
    assert built.warnings == []
