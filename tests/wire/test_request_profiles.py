"""The request builder applies the profile: ignored parts are dropped with a warning, rejected
parts are errors, and nothing a profile rejects is ever in the body."""

from __future__ import annotations

import json

from playground.wire.profiles import ANTHROPIC, DEEPSEEK, EVOLINK
from playground.wire.request import build_request
from tests.wire.request_helpers import errors_of, valid

CACHED = {"type": "ephemeral"}


def test_fields_deepseek_ignores_are_not_sent_and_each_gets_one_warning():
    params = valid(
        top_k=40,
        metadata={"user_id": "u-1"},
        service_tier="auto",
        container="container_1",
        mcp_servers=[{"type": "url", "url": "https://mcp.example.org", "name": "x"}],
        thinking={"type": "enabled", "budget_tokens": 2048},
        system=[{"type": "text", "text": "Be brief.", "cache_control": CACHED}],
        messages=[
            {"role": "user", "content": [{"type": "text", "text": "Hi", "cache_control": CACHED}]}
        ],
    )
    built = build_request(params, profile=DEEPSEEK)
    assert built.body == {
        "model": "deepseek-v4-flash",
        "max_tokens": 1024,
        "system": [{"type": "text", "text": "Be brief."}],
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
        "thinking": {"type": "enabled"},
        "stream": True,
    }
    assert built.warnings == [
        "cache_control is ignored by DeepSeek",
        "top_k is ignored by DeepSeek",
        "thinking.budget_tokens is ignored by DeepSeek",
        "metadata is ignored by DeepSeek",
        "service_tier is ignored by DeepSeek",
        "container is ignored by DeepSeek",
        "mcp_servers is ignored by DeepSeek",
    ]


def test_is_error_on_a_tool_result_is_dropped_for_deepseek():
    tool_use = {"type": "tool_use", "id": "c1", "name": "f", "input": {}}
    result = {"type": "tool_result", "tool_use_id": "c1", "content": "boom", "is_error": True}
    params = valid(
        messages=[
            {"role": "user", "content": "Run f"},
            {"role": "assistant", "content": [tool_use]},
            {"role": "user", "content": [result]},
        ]
    )
    built = build_request(params, profile=DEEPSEEK)
    assert "is_error" not in built.body["messages"][2]["content"][0]
    assert built.warnings == ["is_error is ignored by DeepSeek"]
    assert build_request(params, profile=ANTHROPIC).body["messages"][2]["content"][0]["is_error"]


def test_ignored_fields_are_still_sent_where_the_profile_honours_them():
    params = valid(top_k=40, metadata={"user_id": "u-1"}, stop_sequences=["a", "b", "c", "d", "e"])
    built = build_request(params, profile=ANTHROPIC)
    assert built.body["top_k"] == 40
    assert built.body["metadata"] == {"user_id": "u-1"}
    assert len(built.body["stop_sequences"]) == 5
    assert built.warnings == []
    assert build_request(valid(top_k=40), profile=EVOLINK).body["top_k"] == 40


def test_an_ignored_field_with_a_bad_value_is_not_an_error_since_it_is_not_sent():
    assert build_request(valid(top_k="lots"), profile=DEEPSEEK).warnings == [
        "top_k is ignored by DeepSeek"
    ]
    assert errors_of(valid(top_k="lots"), ANTHROPIC) == {
        "top_k": "top_k must be a whole number, not 'lots'"
    }


def test_the_stream_flag_is_the_callers_choice():
    assert build_request(valid(stream=False), profile=DEEPSEEK).body["stream"] is True
    assert build_request(valid(stream=True), profile=DEEPSEEK, stream=False).body["stream"] is False


def test_a_full_anthropic_request_body_can_be_imported_into_deepseek():
    body = {
        "model": "deepseek-v4-pro",
        "max_tokens": 4096,
        "system": "You are terse.",
        "messages": [{"role": "user", "content": [{"type": "text", "text": "2+2?"}]}],
        "temperature": 0.7,
        "top_p": 0.9,
        "stop_sequences": ["\n\nHuman:"],
        "thinking": {"type": "disabled"},
        "output_config": {"effort": "high"},
        "tools": [{"name": "calc", "input_schema": {"type": "object", "properties": {}}}],
        "tool_choice": {"type": "auto"},
        "stream": True,
    }
    built = build_request(json.loads(json.dumps(body)), profile=DEEPSEEK)
    assert built.body == body
    assert built.warnings == []


def test_the_body_does_not_share_objects_with_the_params():
    params = valid(tools=[{"name": "f", "input_schema": {"type": "object", "properties": {}}}])
    body = build_request(params, profile=DEEPSEEK).body
    body["tools"][0]["input_schema"]["properties"]["x"] = {}
    assert params["tools"][0]["input_schema"]["properties"] == {}
