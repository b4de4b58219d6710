"""Reading a request like DeepSeek does: rules enforced with the field named, extras ignored."""

from __future__ import annotations

import json

import pytest

from playground.simulator.request import (
    THINKING_MUST_COME_BACK,
    InvalidRequest,
    parse_request,
)


def encode(**fields) -> bytes:
    base = {
        "model": "deepseek-v4-flash",
        "max_tokens": 100,
        "messages": [{"role": "user", "content": "hi"}],
    }
    return json.dumps(base | fields).encode()


def rejection(body: bytes) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as raised:
        parse_request(body)
    return raised.value


def test_defaults_are_deepseeks_thinking_on_high_effort_auto_tools():
    request = parse_request(encode())

    assert request.thinking is True
    assert request.effort == "high"
    assert request.tool_choice == "auto"
    assert request.stream is False
    assert request.is_pro is False


def test_pro_is_recognised_and_unknown_models_are_kept_by_name():
    assert parse_request(encode(model="deepseek-v4-pro")).is_pro
    unknown = parse_request(encode(model="gpt-9"))
    assert (unknown.model, unknown.is_pro) == ("gpt-9", False)


def test_the_range_limits_themselves_are_allowed():
    parse_request(encode(max_tokens=384_000, temperature=2, top_p=0, stop_sequences=["a"] * 4))
    parse_request(encode(max_tokens=1, temperature=0, top_p=1))


def test_booleans_are_not_numbers():
    assert rejection(encode(max_tokens=True)).field == "max_tokens"
    assert rejection(encode(temperature=False)).field == "temperature"


def test_a_body_that_is_not_an_object_is_refused():
    assert rejection(b"[1, 2]").field == "body"
    assert rejection(b"\xff\xfe").field == "body"


def test_the_first_message_must_be_from_the_user():
    problem = rejection(encode(messages=[{"role": "assistant", "content": "x"}]))

    assert str(problem) == "messages[0].role: the first message must come from the user"


def test_a_tool_result_in_an_assistant_turn_is_refused():
    turns = [
        {"role": "user", "content": "x"},
        {"role": "assistant", "content": [{"type": "tool_result", "tool_use_id": "t"}]},
        {"role": "user", "content": "y"},
    ]

    assert rejection(encode(messages=turns)).field == "messages[1].content[0].type"


def test_thinking_mode_wants_the_thinking_of_a_tool_call_back_like_deepseek():
    turns = [
        {"role": "user", "content": "x"},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {}}],
        },
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "ok"}],
        },
    ]

    assert (
        str(rejection(encode(messages=turns))) == f"messages[1].content: {THINKING_MUST_COME_BACK}"
    )
    assert parse_request(encode(messages=turns, thinking={"type": "disabled"})).tool_results == (
        "ok",
    )


def test_tool_results_are_read_from_strings_and_text_blocks():
    turns = [
        {"role": "user", "content": "x"},
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "hm", "signature": "s"},
                {"type": "tool_use", "id": "t1", "name": "f", "input": {}},
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "t1",
                    "content": [{"type": "text", "text": "42"}],
                }
            ],
        },
    ]

    assert parse_request(encode(messages=turns)).tool_results == ("42",)


def test_an_image_inside_a_tool_result_is_not_supported():
    turns = [
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "t", "content": [{"type": "image"}]}
            ],
        }
    ]

    assert "image content is not supported" in str(rejection(encode(messages=turns)))


def test_directives_come_from_the_system_prompt_and_the_last_user_message_only():
    turns = [
        {"role": "user", "content": "[[fault:drop]] old"},
        {"role": "assistant", "content": "reply"},
        {"role": "user", "content": [{"type": "text", "text": "[[echo]] new"}]},
    ]

    request = parse_request(
        encode(messages=turns, system=[{"type": "text", "text": "[[speed:42]]"}])
    )

    assert request.directives.echo is True
    assert request.directives.fault is None
    assert request.directives.speed == 42
    assert request.user_text == "new"


def test_input_tokens_count_the_system_the_messages_and_the_tools():
    bare = parse_request(encode()).input_tokens
    tool = {"name": "f", "description": "does f", "input_schema": {"type": "object"}}

    assert parse_request(encode(system="be brief")).input_tokens == bare + 2
    assert parse_request(encode(tools=[tool])).input_tokens > bare


def test_the_seed_depends_on_meaning_not_on_limits_or_extras():
    seed = parse_request(encode()).seed

    assert parse_request(encode(max_tokens=7, stream=True, metadata={"user_id": "u"})).seed == seed
    assert parse_request(encode(thinking={"type": "disabled"})).seed != seed
    assert parse_request(encode(output_config={"effort": "max"})).seed != seed
    assert parse_request(encode(model="deepseek-v4-pro")).seed != seed


def test_a_bad_directive_names_where_it_was_written():
    assert rejection(encode(system="[[fault:nope]]")).field == "system"
    assert (
        rejection(encode(messages=[{"role": "user", "content": "[[speed:0]]"}])).field == "messages"
    )


def test_a_lone_surrogate_escape_is_refused_rather_than_crashing():
    body = b'{"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "\\ud800"}]}'

    assert rejection(body).field == "body"
