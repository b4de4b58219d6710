"""The official ``anthropic`` SDK, over real HTTP, gets well-formed answers from the Simulator."""

from __future__ import annotations

import anthropic
import pytest

FLASH = "deepseek-v4-flash"
PRO = "deepseek-v4-pro"

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer", "minimum": 1, "maximum": 7},
        },
        "required": ["city", "unit", "days"],
    },
}
CLOCK_TOOL = {
    "name": "read_clock",
    "description": "The time now.",
    "input_schema": {"type": "object", "properties": {}},
}


@pytest.fixture
def client(simulator) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=simulator.base_url, api_key="sim-test", max_retries=0)


def ask(client: anthropic.Anthropic, text: str, **fields) -> anthropic.types.Message:
    fields.setdefault("max_tokens", 2000)
    fields.setdefault("model", FLASH)
    return client.messages.create(messages=[{"role": "user", "content": text}], **fields)


def test_a_plain_request_gets_thinking_then_text_and_ends_its_turn(client):
    message = ask(client, "Explain photosynthesis")

    assert [block.type for block in message.content] == ["thinking", "text"]
    assert message.content[0].thinking and message.content[0].signature
    assert "photosynthesis" in message.content[1].text
    assert message.stop_reason == "end_turn"
    assert message.stop_sequence is None
    assert message.model == FLASH
    assert message.id.startswith("msg_")


def test_thinking_disabled_leaves_only_text(client):
    message = ask(client, "Explain photosynthesis", thinking={"type": "disabled"})

    assert [block.type for block in message.content] == ["text"]


def test_usage_counts_input_and_every_output_token(client):
    message = ask(client, "[[echo]] one two three", thinking={"type": "disabled"})

    # The model does not see the directive, but it was sent: "[", "[", "echo", "]", "] " count.
    assert message.content[0].text == "one two three"
    assert message.usage.output_tokens == 3
    assert message.usage.input_tokens == 5 + 3


def test_streaming_gives_the_same_message_as_not_streaming(client):
    whole = ask(client, "Tell me about rivers")
    with client.messages.stream(
        model=FLASH, max_tokens=2000, messages=[{"role": "user", "content": "Tell me about rivers"}]
    ) as stream:
        kinds = [event.type for event in stream]
        streamed = stream.get_final_message()

    assert streamed.model_dump() == whole.model_dump()
    assert kinds[0] == "message_start"
    assert kinds[-1] == "message_stop"
    assert {"content_block_start", "content_block_delta", "content_block_stop"} <= set(kinds)
    assert kinds.count("text") > 3, "the text comes in several deltas"


def test_streamed_thinking_ends_with_its_signature(client):
    with client.messages.stream(
        model=FLASH, max_tokens=2000, messages=[{"role": "user", "content": "Why is the sky blue?"}]
    ) as stream:
        events = list(stream)

    deltas = [e.delta.type for e in events if e.type == "content_block_delta" and e.index == 0]
    assert deltas[:-1] == ["thinking_delta"] * (len(deltas) - 1)
    assert deltas[-1] == "signature_delta"


def test_higher_effort_thinks_longer(client):
    def thinking_tokens(effort: str) -> int:
        message = ask(client, "[[echo]] x", output_config={"effort": effort})
        return message.usage.output_tokens - 1

    lengths = [thinking_tokens(effort) for effort in ("low", "medium", "high", "max")]

    assert lengths == sorted(lengths)
    assert lengths[-1] > 3 * lengths[0]


def test_pro_writes_more_than_flash(client):
    flash = ask(client, "Describe a forest", model=FLASH)
    pro = ask(client, "Describe a forest", model=PRO)

    assert pro.usage.output_tokens > 2 * flash.usage.output_tokens
    assert pro.model == PRO


def test_an_unknown_model_answers_like_flash_under_the_name_asked(client):
    message = ask(client, "Describe a forest", model="deepseek-chat")

    assert message.model == "deepseek-chat"
    assert message.stop_reason == "end_turn"


def test_max_tokens_counts_thinking_and_cuts_the_answer(client):
    message = ask(client, "Explain photosynthesis", max_tokens=10)

    assert message.stop_reason == "max_tokens"
    assert message.usage.output_tokens == 10
    assert [block.type for block in message.content] == ["thinking"]


def test_max_tokens_cuts_echoed_text_at_a_token_boundary(client):
    message = ask(
        client, "[[echo]] alpha beta gamma delta", max_tokens=2, thinking={"type": "disabled"}
    )

    assert message.content[0].text == "alpha beta "
    assert message.stop_reason == "max_tokens"


def test_a_stop_sequence_cuts_the_text_and_is_reported(client):
    message = ask(
        client,
        "[[echo]] first part END second part",
        stop_sequences=["NEVER", "END"],
        thinking={"type": "disabled"},
    )

    assert message.content[0].text == "first part "
    assert message.stop_reason == "stop_sequence"
    assert message.stop_sequence == "END"


def test_a_streamed_stop_sequence_is_reported_in_message_delta(client):
    with client.messages.stream(
        model=FLASH,
        max_tokens=100,
        stop_sequences=["END"],
        thinking={"type": "disabled"},
        messages=[{"role": "user", "content": "[[echo]] first part END second part"}],
    ) as stream:
        message = stream.get_final_message()

    assert message.content[0].text == "first part "
    assert (message.stop_reason, message.stop_sequence) == ("stop_sequence", "END")


def test_mentioning_a_tool_gets_a_tool_call_whose_input_fits_the_schema(client):
    message = ask(client, "Use get_weather for Lisbon", tools=[CLOCK_TOOL, WEATHER_TOOL])

    call = message.content[-1]
    assert message.stop_reason == "tool_use"
    assert call.type == "tool_use"
    assert call.name == "get_weather"
    assert call.id.startswith("toolu_")
    assert isinstance(call.input["city"], str)
    assert call.input["unit"] in ("celsius", "fahrenheit")
    assert 1 <= call.input["days"] <= 7


def test_tools_that_are_not_mentioned_are_not_called(client):
    message = ask(client, "Describe a forest", tools=[WEATHER_TOOL])

    assert message.stop_reason == "end_turn"
    assert all(block.type != "tool_use" for block in message.content)


def test_tool_choice_any_forces_the_first_tool(client):
    message = ask(
        client, "Describe a forest", tools=[CLOCK_TOOL, WEATHER_TOOL], tool_choice={"type": "any"}
    )

    assert message.content[-1].name == "read_clock"
    assert message.stop_reason == "tool_use"


def test_tool_choice_tool_forces_that_tool(client):
    message = ask(
        client,
        "Describe a forest",
        tools=[CLOCK_TOOL, WEATHER_TOOL],
        tool_choice={"type": "tool", "name": "get_weather"},
    )

    assert message.content[-1].name == "get_weather"


def test_tool_choice_none_forbids_tools_even_when_mentioned(client):
    message = ask(client, "Use get_weather", tools=[WEATHER_TOOL], tool_choice={"type": "none"})

    assert message.stop_reason == "end_turn"
    assert all(block.type != "tool_use" for block in message.content)


def test_streamed_tool_input_arrives_as_json_deltas(client):
    with client.messages.stream(
        model=FLASH,
        max_tokens=2000,
        tools=[WEATHER_TOOL],
        messages=[{"role": "user", "content": "Use get_weather please"}],
    ) as stream:
        events = list(stream)
        message = stream.get_final_message()

    json_deltas = [
        e for e in events if e.type == "content_block_delta" and e.delta.type == "input_json_delta"
    ]
    assert len(json_deltas) > 1
    assert "".join(e.delta.partial_json for e in json_deltas)
    assert (
        message.content[-1].input
        == ask(client, "Use get_weather please", tools=[WEATHER_TOOL]).content[-1].input
    )


def test_a_tool_result_is_answered_in_words_that_mention_it(client):
    first = ask(client, "Use get_weather for Oslo", tools=[WEATHER_TOOL])
    call = first.content[-1]

    answer = client.messages.create(
        model=FLASH,
        max_tokens=2000,
        tools=[WEATHER_TOOL],
        messages=[
            {"role": "user", "content": "Use get_weather for Oslo"},
            {"role": "assistant", "content": [b.model_dump() for b in first.content]},
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": call.id, "content": "sunny, 21 degrees"}
                ],
            },
        ],
    )

    assert answer.stop_reason == "end_turn"
    assert "sunny, 21 degrees" in answer.content[-1].text
