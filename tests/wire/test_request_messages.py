"""The system prompt, the messages and their content blocks: each rule names the block it broke."""

from __future__ import annotations

import pytest

from playground.wire.profiles import ANTHROPIC, DEEPSEEK, EVOLINK
from playground.wire.request import build_request
from tests.wire.request_helpers import errors_of, valid

IMAGE = {
    "type": "image",
    "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="},
}
DOCUMENT = {
    "type": "document",
    "source": {"type": "text", "media_type": "text/plain", "data": "Hi"},
}
TOOL_USE = {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {"city": "Paris"}}
THINKING = {"type": "thinking", "thinking": "Let me see.", "signature": "sig_1"}


def conversation(*turns: tuple[str, object]) -> dict:
    return valid(messages=[{"role": role, "content": content} for role, content in turns])


def tool_round_trip(result: dict) -> dict:
    return conversation(
        ("user", "Weather in Paris?"),
        ("assistant", [THINKING, TOOL_USE]),
        ("user", [result]),
    )


def test_text_tool_use_tool_result_and_thinking_blocks_are_accepted():
    result = {"type": "tool_result", "tool_use_id": "call_1", "content": "18 °C"}
    built = build_request(tool_round_trip(result), profile=DEEPSEEK)
    assert built.body["messages"][1]["content"] == [THINKING, TOOL_USE]
    assert built.body["messages"][2]["content"] == [result]


@pytest.mark.parametrize(("block", "kind"), [(IMAGE, "image"), (DOCUMENT, "document")])
def test_images_and_documents_are_refused_for_deepseek_with_a_clear_message(block, kind):
    errors = errors_of(conversation(("user", [{"type": "text", "text": "Look"}, block])))
    notice = f"{kind} blocks are not supported by DeepSeek"
    assert errors == {"messages.0.content.1.type": f"messages.0.content.1: {notice}"}
    evolink = errors_of(conversation(("user", [block])), EVOLINK)
    assert evolink["messages.0.content.0.type"].endswith(
        f"{kind} blocks are not supported by EvoLink"
    )


def test_images_pass_where_the_profile_honours_them():
    built = build_request(
        conversation(("user", [IMAGE, {"type": "text", "text": "What is it?"}])), profile=ANTHROPIC
    )
    assert built.body["messages"][0]["content"][0] == IMAGE


@pytest.mark.parametrize(
    ("messages", "field", "words"),
    [
        (None, "messages", "messages is required"),
        ([], "messages", "messages must contain at least one message"),
        ("Hello", "messages", "messages must be a list"),
        (["Hello"], "messages.0", "messages.0 must be an object"),
        (
            [{"role": "system", "content": "x"}],
            "messages.0.role",
            'must be one of "user", "assistant"',
        ),
        ([{"role": "user"}], "messages.0.content", "messages.0.content is required"),
        (
            [{"role": "user", "content": ""}],
            "messages.0.content",
            "messages.0.content must not be empty",
        ),
        (
            [{"role": "user", "content": []}],
            "messages.0.content",
            "must contain at least one content block",
        ),
        (
            [{"role": "user", "content": 5}],
            "messages.0.content",
            "must be a string or a list of content blocks",
        ),
        (
            [{"role": "user", "content": "x", "name": "bob"}],
            "messages.0.name",
            "is not a field of a message",
        ),
        (
            [{"role": "user", "content": [{"text": "x"}]}],
            "messages.0.content.0.type",
            "is required",
        ),
        (
            [{"role": "user", "content": [{"type": "video"}]}],
            "messages.0.content.0.type",
            "'video' is not a content block type",
        ),
        (
            [{"role": "user", "content": [{"type": "text", "text": ""}]}],
            "messages.0.content.0.text",
            "must not be empty",
        ),
        (
            [{"role": "user", "content": [{"type": "text"}]}],
            "messages.0.content.0.text",
            "is required",
        ),
        (
            [{"role": "user", "content": [{"type": "text", "text": "x", "colour": 1}]}],
            "messages.0.content.0.colour",
            "is not a field of a text block",
        ),
        (
            [{"role": "user", "content": [TOOL_USE]}],
            "messages.0.content.0.type",
            "tool_use blocks belong in assistant messages",
        ),
        (
            [{"role": "user", "content": [THINKING]}],
            "messages.0.content.0.type",
            "thinking blocks belong in assistant messages",
        ),
    ],
)
def test_a_broken_message_names_the_message_and_the_rule(messages, field, words):
    errors = errors_of(valid(messages=messages))
    assert field in errors, errors
    assert words in errors[field]


def test_only_a_final_assistant_message_may_be_empty_as_a_prefill():
    build_request(conversation(("user", "Hi"), ("assistant", "")), profile=DEEPSEEK)
    errors = errors_of(conversation(("assistant", ""), ("user", "Hi")))
    assert errors == {"messages.0.content": "messages.0.content must not be empty"}


@pytest.mark.parametrize(
    ("block", "field", "words"),
    [
        ({"type": "tool_use", "name": "f", "input": {}}, "messages.1.content.0.id", "is required"),
        ({"type": "tool_use", "id": "c", "input": {}}, "messages.1.content.0.name", "is required"),
        (
            {"type": "tool_use", "id": "c", "name": "f", "input": "{}"},
            "messages.1.content.0.input",
            "must be an object",
        ),
        ({"type": "thinking", "thinking": "x"}, "messages.1.content.0.signature", "is required"),
        (
            {"type": "tool_result", "tool_use_id": "c"},
            "messages.1.content.0.type",
            "tool_result blocks belong in user messages",
        ),
    ],
)
def test_assistant_blocks_need_their_fields(block, field, words):
    errors = errors_of(conversation(("user", "Hi"), ("assistant", [block]), ("user", "Go on")))
    assert field in errors, errors
    assert words in errors[field]


def test_a_tool_result_must_answer_a_tool_use_of_the_previous_assistant_message():
    result = {"type": "tool_result", "tool_use_id": "call_9", "content": "18 °C"}
    errors = errors_of(tool_round_trip(result))
    assert errors == {
        "messages.2.content.0.tool_use_id": "messages.2.content.0.tool_use_id 'call_9' answers no "
        "tool_use block of the previous assistant message"
    }


def test_a_tool_result_may_hold_text_blocks_but_not_an_image_for_deepseek():
    fine = {
        "type": "tool_result",
        "tool_use_id": "call_1",
        "content": [{"type": "text", "text": "18 °C"}],
    }
    build_request(tool_round_trip(fine), profile=DEEPSEEK)
    with_image = {"type": "tool_result", "tool_use_id": "call_1", "content": [IMAGE]}
    inner = "messages.2.content.0.content.0"
    assert errors_of(tool_round_trip(with_image)) == {
        f"{inner}.type": f"{inner}: image blocks are not supported by DeepSeek"
    }


def test_redacted_thinking_and_server_tool_blocks_are_refused_for_deepseek():
    redacted = {"type": "redacted_thinking", "data": "abc"}
    server = {"type": "server_tool_use", "id": "srv_1", "name": "web_search", "input": {}}
    errors = errors_of(
        conversation(("user", "Hi"), ("assistant", [redacted, server]), ("user", "More"))
    )
    assert errors["messages.1.content.0.type"].endswith(
        "redacted_thinking blocks are not supported by DeepSeek"
    )
    assert errors["messages.1.content.1.type"].endswith(
        "server_tool_use blocks are not supported by DeepSeek"
    )


def test_the_system_prompt_is_a_string_or_a_list_of_text_blocks():
    assert build_request(valid(system="Be brief."), profile=DEEPSEEK).body["system"] == "Be brief."
    blocks = [{"type": "text", "text": "Be brief."}, {"type": "text", "text": "Use French."}]
    assert build_request(valid(system=blocks), profile=DEEPSEEK).body["system"] == blocks
    errors = errors_of(valid(system=[{"type": "image", "source": {}}]))
    assert errors == {"system.0.type": 'system.0 must be a text block (type "text")'}
    assert errors_of(valid(system=42)) == {"system": "system must be a list, not 42"}


def test_an_empty_system_prompt_sends_nothing():
    assert "system" not in build_request(valid(system=""), profile=DEEPSEEK).body
