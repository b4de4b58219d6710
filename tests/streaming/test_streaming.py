"""A message sent over the page's websocket streams back as small appended frames; the finished
answer is stored once, complete, and fetched once, rendered."""

from __future__ import annotations

import json
import time

import pytest

from playground.conversations.models import Conversation, Message
from tests.compose import compose
from tests.streaming.conftest import echo_words, open_tab, stored

pytestmark = pytest.mark.django_db(transaction=True)

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "The weather in a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["celsius", "fahrenheit"]}},
        "required": ["city", "unit"],
    },
}


async def test_a_sent_message_streams_into_the_page_and_is_stored_complete(alice):
    tab = await open_tab(alice)
    text = echo_words(300)
    await tab.send(compose(f"[[echo]] {text}"))

    answer_id = await tab.receive_opening()
    await tab.until_finished(answer_id)

    message = await stored(answer_id)
    assert message.state == Message.State.COMPLETE
    assert message.content == [{"type": "text", "text": text}]
    assert message.stop_reason == "end_turn"
    assert message.usage["output_tokens"] > 0
    assert message.model == "deepseek-v4-flash"
    assert message.upstream_id.startswith("msg_")
    assert message.first_token_ms is not None and message.duration_ms >= message.first_token_ms
    assert message.output_tokens_per_second > 0
    assert message.request["messages"][-1]["content"][-1]["text"] == f"[[echo]] {text}"
    assert "sim-" not in json.dumps(message.request), "the key is never stored"
    conversation = await Conversation.objects.aget(pk=message.conversation_id)
    assert tab.page.by_id("conversation-url").attrs["data-url"] == f"/c/{conversation.pk}/"
    assert tab.page.by_id(f"conversation-{conversation.pk}") is not None, "the sidebar entry"
    tools = tab.page.text("conversation-tools")
    assert "Share" in tools and "Export JSON" in tools, "a new chat can be shared at once"
    assert tab.page.text(f"m-{answer_id}-b-0-body").strip() == text
    assert "markdown" in tab.page.by_id(f"m-{answer_id}-b-0-body").classes()
    await tab.close()


async def test_frames_append_small_pieces_and_never_resend_the_message(alice):
    tab = await open_tab(alice)
    text = echo_words(400)
    await tab.send(compose(f"[[echo]] [[speed:2000]] {text}"))
    answer_id = await tab.receive_opening()
    start = len(tab.received)
    await tab.until_finished(answer_id)

    frames = tab.received[start:]
    appends = [f for f in frames if f.startswith(f'<span hx-swap-oob="beforeend:#m-{answer_id}-b-')]
    assert len(appends) >= 5, "a 0.2 s answer arrives in many frames"
    assert sum(len(f) for f in frames) < 2 * len(text) + 2000, "bytes grow with the answer once"
    assert not any(f'id="m-{answer_id}"' in f for f in frames), "no frame resends the message"


async def test_many_answers_streaming_at_once_widen_each_ones_window_to_the_frame_budget(
    alice, settings
):
    # Two answers at 20 frames a second for the process: 100 ms windows, not 25 ms ones.
    settings.PLAYGROUND_FRAME_BUDGET = 20
    tabs = [await open_tab(alice), await open_tab(alice)]
    texts = [echo_words(600), echo_words(600, start=600)]
    for tab, text in zip(tabs, texts, strict=True):
        await tab.send(compose(f"[[echo]] [[speed:2000]] {text}"))
    answer_ids = [await tab.receive_opening() for tab in tabs]
    starts = [len(tab.received) for tab in tabs]
    for tab, answer_id in zip(tabs, answer_ids, strict=True):
        await tab.until_finished(answer_id)

    for tab, answer_id, start, text in zip(tabs, answer_ids, starts, texts, strict=True):
        appends = [
            f
            for f in tab.received[start:]
            if f.startswith(f'<span hx-swap-oob="beforeend:#m-{answer_id}-b-')
        ]
        # 0.3 s of tokens in 100 ms windows (the first frame goes at once): about 4 frames,
        # where 25 ms windows would make about 12.
        assert 2 <= len(appends) <= 6, len(appends)
        assert tab.page.text(f"m-{answer_id}-b-0-body").strip() == text, "nothing lost"


async def test_the_first_token_is_not_held_behind_the_window_of_the_frame_before_it(
    alice, settings
):
    """The block's empty shell goes out as the block starts; the first token, due 0.2 s later
    (5 tokens a second), goes out as it arrives, not at the end of a 1 s window."""
    settings.PLAYGROUND_COALESCE_MS = 1000
    tab = await open_tab(alice)
    await tab.send(compose("[[echo]] [[speed:5]] first second"))
    answer_id = await tab.receive_opening()
    opened = time.monotonic()
    await tab.receive_until(lambda html: "first" in html and f"#m-{answer_id}-b-0" in html)
    assert time.monotonic() - opened < 0.7, "the first token waited for a window"
    await tab.until_finished(answer_id)
    assert tab.page.text(f"m-{answer_id}-b-0-body").strip() == "first second"


async def test_thinking_streams_into_a_collapsible_block_before_the_text(alice):
    tab = await open_tab(alice)
    await tab.send(compose("[[echo]] Hello there", thinking="enabled"))
    answer_id = await tab.receive_opening()
    await tab.receive_until(lambda html: f"m-{answer_id}-b-1" in html)

    thinking = tab.page.by_id(f"m-{answer_id}-b-0")
    assert thinking.tag == "details" and "open" in thinking.attrs
    assert tab.page.text(f"m-{answer_id}-b-0-body"), "thinking text arrived live"
    await tab.until_finished(answer_id)
    message = await stored(answer_id)
    assert [block["type"] for block in message.content] == ["thinking", "text"]
    assert message.content[0]["signature"], "the signature is kept for the next turn"
    assert tab.page.text(f"m-{answer_id}-b-0-body").strip() == message.content[0]["thinking"]


async def test_a_tool_call_shows_its_name_and_streams_its_input_json(alice):
    tab = await open_tab(alice)
    await tab.send(
        compose(
            "What does get_weather say for Paris?",
            tools=json.dumps([WEATHER_TOOL]),
            tool_choice="tool",
            tool_name="get_weather",
        )
    )
    answer_id = await tab.receive_opening()
    await tab.receive_until(lambda html: 'hx-get="/m/' in html)

    message = await stored(answer_id)
    index, call = next((i, b) for i, b in enumerate(message.content) if b["type"] == "tool_use")
    assert message.stop_reason == "tool_use"
    streamed = tab.page.text(f"m-{answer_id}-b-{index}-body")
    assert json.loads(streamed) == call["input"], "the raw JSON as it streamed"
    await tab.run_loads()
    block = tab.page.by_id(f"m-{answer_id}-b-{index}")
    assert "get_weather" in block.text()
    assert json.loads(tab.page.text(f"m-{answer_id}-b-{index}-body")) == call["input"]


async def test_model_output_with_html_is_escaped_in_every_frame(alice):
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script> & done'
    tab = await open_tab(alice)
    await tab.send(compose(f"[[echo]] {payload}"))
    answer_id = await tab.receive_opening()
    start = len(tab.received)
    await tab.receive_until(lambda html: 'hx-get="/m/' in html)

    frames = "".join(tab.received[start:])
    assert "<script" not in frames and "<img" not in frames
    assert tab.page.text(f"m-{answer_id}-b-0-body") == payload, "shown as the text it is"
    await tab.run_loads()
    article = tab.page.by_id(f"m-{answer_id}")
    assert not [n for n in article.walk() if n.tag in ("script", "img")]
    assert not [n for n in article.walk() if "onerror" in n.attrs]
