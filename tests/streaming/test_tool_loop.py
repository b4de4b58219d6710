"""The tool loop: an answer calls a tool, the user answers with results, the model goes on.

What the upstream received is read from a recording relay in front of the Simulator (real HTTP):
later turns carry the earlier answers verbatim, thinking blocks with their signatures.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from playground.conversations.models import Message
from playground.conversations.tool_templates import TOOL_TEMPLATES
from tests.compose import compose
from tests.streaming.conftest import Tab, open_tab, stored
from tests.streaming.recording import RecordingRelay

pytestmark = pytest.mark.django_db(transaction=True)

WEATHER_TOOLS = json.dumps([TOOL_TEMPLATES["weather"]])
FORCED = {"tools": WEATHER_TOOLS, "tool_choice": "tool", "tool_name": "get_weather"}


@pytest.fixture
async def relay(settings, simulator) -> AsyncIterator[RecordingRelay]:
    relay = RecordingRelay(simulator.base_url)
    settings.PLAYGROUND_SIMULATOR_BASE_URL = await relay.start()
    yield relay
    await relay.close()


async def _answered(tab: Tab, data: dict) -> Message:
    await tab.send(data)
    answer_id = await tab.receive_opening()
    await tab.until_finished(answer_id)
    return await stored(answer_id)


async def _tool_call(tab: Tab, **settings: str) -> tuple[Message, dict]:
    """Ask the weather, forcing the tool: the answer that calls it and its tool_use block."""
    answer = await _answered(
        tab, compose("What is the weather in Paris?", thinking="enabled", **FORCED, **settings)
    )
    assert answer.stop_reason == "tool_use"
    call = next(block for block in answer.content if block["type"] == "tool_use")
    return answer, call


async def test_a_tool_call_answered_with_an_error_result_gets_a_final_answer_in_words(alice):
    tab = await open_tab(alice)
    first, call = await _tool_call(tab)
    # The page now asks for the call's result, under the Message box.
    boxes = [n for n in tab.page.root.walk() if n.attrs.get("name") == f"tool_result:{call['id']}"]
    assert len(boxes) == 1 and "get_weather" in tab.page.text("tool-results")

    results = {f"tool_result:{call['id']}": "Paris: 21 °C", f"tool_error:{call['id']}": "on"}
    final = await _answered(
        tab, {**compose("", thinking="enabled", tools=WEATHER_TOOLS), **results}
    )

    question = await Message.objects.aget(pk=final.parent_id)
    assert question.parent_id == first.pk
    assert question.content == [
        {"type": "tool_result", "tool_use_id": call["id"], "content": "Paris: 21 °C",
         "is_error": True},
    ]  # fmt: skip
    assert final.state == Message.State.COMPLETE and final.stop_reason == "end_turn"
    text = next(block["text"] for block in final.content if block["type"] == "text")
    assert text.startswith("The tool returned: Paris: 21 °C")
    assert "Tool error" in tab.page.text(f"m-{question.pk}")
    assert tab.page.text("tool-results").strip() == "", "no call waits any more"


async def test_results_come_first_and_the_message_box_text_follows_them(alice):
    tab = await open_tab(alice)
    _, call = await _tool_call(tab)
    data = {**compose("Answer briefly.", tools=WEATHER_TOOLS), f"tool_result:{call['id']}": "Rain"}
    final = await _answered(tab, data)
    question = await Message.objects.aget(pk=final.parent_id)
    assert question.content == [
        {"type": "tool_result", "tool_use_id": call["id"], "content": "Rain"},
        {"type": "text", "text": "Answer briefly."},
    ]


async def test_a_tool_call_left_unanswered_is_refused_naming_it_and_nothing_is_stored(alice):
    tab = await open_tab(alice)
    _, call = await _tool_call(tab)
    count = await Message.objects.acount()

    await tab.send({**compose("", tools=WEATHER_TOOLS), f"tool_result:{call['id']}": "  "})
    await tab.receive_until(lambda html: 'id="error-tool_results"' in html)
    error = tab.page.text("error-tool_results")
    assert f"Result for get_weather ({call['id']})" in error and "write what the tool" in error
    assert await Message.objects.acount() == count


async def test_a_plain_message_while_a_call_waits_is_refused_until_the_call_is_answered(alice):
    # A page from before the call has no Result boxes: the message alone would leave the call
    # unanswered, which the upstream refuses. Nothing is stored, the message is kept.
    tab = await open_tab(alice)
    _, call = await _tool_call(tab)
    count = await Message.objects.acount()
    await tab.send(compose("Never mind", tools=WEATHER_TOOLS))
    await tab.receive_until(lambda html: 'id="error-tool_results"' in html)
    assert f"Result for get_weather ({call['id']})" in tab.page.text("error-tool_results")
    assert await Message.objects.acount() == count


async def test_the_tool_turn_sends_the_thinking_block_and_its_signature_verbatim(alice, relay):
    tab = await open_tab(alice)
    first, call = await _tool_call(tab)
    thinking = first.content[0]
    assert thinking["type"] == "thinking" and len(thinking["signature"]) > 40

    data = {
        **compose("", thinking="enabled", tools=WEATHER_TOOLS),
        f"tool_result:{call['id']}": "Sun",
    }
    await _answered(tab, data)

    assert len(relay.requests) == 2
    received = relay.requests[1]["messages"]
    assert [m["role"] for m in received] == ["user", "assistant", "user"]
    assert received[1]["content"] == first.content, "the answer goes back exactly as it came"
    assert received[1]["content"][0]["signature"] == thinking["signature"]
    assert received[2]["content"] == [
        {"type": "tool_result", "tool_use_id": call["id"], "content": "Sun"}
    ]


async def test_a_later_text_turn_sends_earlier_thinking_with_its_signature(alice, relay):
    tab = await open_tab(alice)
    first = await _answered(tab, compose("Tell me about tides.", thinking="enabled"))
    await _answered(tab, compose("And about waves?", thinking="enabled"))

    sent_back = relay.requests[1]["messages"][1]
    assert sent_back == {"role": "assistant", "content": first.content}
    assert sent_back["content"][0]["type"] == "thinking"
    assert sent_back["content"][0]["signature"] == first.content[0]["signature"]
