"""Composing an answer: length by model and effort, cuts by max_tokens and stop sequences."""

from __future__ import annotations

import json

from playground.simulator.answer import compose_answer
from playground.simulator.request import parse_request
from playground.simulator.tokens import count_tokens

TOOL = {
    "name": "lookup",
    "input_schema": {
        "type": "object",
        "properties": {"term": {"type": "string"}, "depth": {"type": "integer"}},
        "required": ["term", "depth"],
    },
}


def answer_for(text: str = "Tell me about tides", **fields):
    body = {
        "model": "deepseek-v4-flash",
        "max_tokens": 5000,
        "messages": [{"role": "user", "content": text}],
    }
    return compose_answer(request=parse_request(json.dumps(body | fields).encode()))


def test_the_same_request_composes_the_same_answer():
    assert answer_for() == answer_for()
    assert answer_for().message_id != answer_for("Tell me about waves").message_id


def test_output_tokens_are_thinking_plus_text_plus_tool_input():
    answer = answer_for("please lookup tides", tools=[TOOL])

    thinking, text, call = answer.blocks
    assert answer.output_tokens == (
        count_tokens(thinking.text)
        + count_tokens(text.text)
        + count_tokens(json.dumps(call.tool_input))
    )


def test_deltas_rebuild_each_block_exactly():
    for block in answer_for("please lookup tides", tools=[TOOL]).blocks:
        assert "".join(piece.text for piece in block.pieces) == block.text
        assert abs(sum(piece.tokens for piece in block.pieces) - block.tokens) < 1e-6


def test_a_signature_belongs_to_its_thinking():
    first, second = answer_for().blocks[0], answer_for("Other").blocks[0]

    assert first.signature and first.signature != second.signature


def test_a_tool_call_that_does_not_fit_is_left_out_rather_than_cut():
    full = answer_for("please lookup tides", tools=[TOOL], thinking={"type": "disabled"})
    text_tokens = full.blocks[0].tokens

    cut = answer_for(
        "please lookup tides",
        tools=[TOOL],
        thinking={"type": "disabled"},
        max_tokens=text_tokens + 1,
    )

    assert [block.type for block in cut.blocks] == ["text"]
    assert cut.stop_reason == "max_tokens"


def test_the_earliest_stop_sequence_wins():
    answer = answer_for(
        "[[echo]] a b c d", stop_sequences=["d", "b"], thinking={"type": "disabled"}
    )

    assert (answer.blocks[0].text, answer.stop_sequence) == ("a ", "b")


def test_max_tokens_before_the_stop_sequence_wins():
    answer = answer_for(
        "[[echo]] a b c d", stop_sequences=["d"], max_tokens=2, thinking={"type": "disabled"}
    )

    assert (answer.stop_reason, answer.stop_sequence) == ("max_tokens", None)


def test_stop_sequences_do_not_cut_thinking():
    thinking = answer_for().blocks[0].text
    word = thinking.split()[1]

    answer = answer_for(stop_sequences=[word])

    assert answer.blocks[0].text == thinking


def test_echo_of_nothing_gives_no_text_block():
    answer = answer_for("[[echo]]", thinking={"type": "disabled"})

    assert answer.blocks == ()
    assert answer.stop_reason == "end_turn"


def test_pro_thinks_and_writes_about_three_times_as_much():
    flash = answer_for()
    pro = answer_for(model="deepseek-v4-pro")

    for index in (0, 1):
        assert pro.blocks[index].tokens > 2 * flash.blocks[index].tokens


def test_the_message_lists_blocks_and_usage_as_anthropic_does():
    message = answer_for().message()

    assert set(message) == {
        "id",
        "type",
        "role",
        "model",
        "content",
        "stop_reason",
        "stop_sequence",
        "usage",
    }
    assert message["usage"]["output_tokens"] == sum(
        count_tokens(block.get("thinking") or block.get("text")) for block in message["content"]
    )


def test_a_tool_is_mentioned_only_as_a_whole_word():
    read = {"name": "Read", "input_schema": {"type": "object"}}

    assert answer_for("Read the file", tools=[read]).stop_reason == "tool_use"
    assert answer_for("I already did", tools=[read]).stop_reason == "end_turn"
    assert answer_for("please GET WEATHER", tools=[TOOL | {"name": "get_weather"}]).stop_reason == (
        "tool_use"
    )
