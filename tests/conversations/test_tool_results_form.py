"""The compose area asks for tool results exactly when the shown answer waits on tool calls."""

from __future__ import annotations

import pytest

from playground.conversations.models import Message
from tests.conversations.page_html import parse

CALLS = [
    {"type": "tool_use", "id": "toolu_a", "name": "get_weather", "input": {"city": "Oslo"}},
    {"type": "tool_use", "id": "toolu_b", "name": "get_time", "input": {}},
]


def _page(client, conversation):
    return parse(client.get(f"/c/{conversation.pk}/").content.decode())


def test_each_waiting_call_gets_a_result_box_and_an_error_checkbox(
    alice, alice_client, make_conversation
):
    conversation = make_conversation(
        alice, turns=[("user", "Weather and time?"), ("assistant", CALLS)], stop_reason="tool_use"
    )
    elements = _page(alice_client, conversation)
    names = [e.attrs.get("name") for e in elements if e.tag in ("textarea", "input")]
    assert [n for n in names if n and n.startswith(("tool_result:", "tool_error:"))] == [
        "tool_result:toolu_a",
        "tool_error:toolu_a",
        "tool_result:toolu_b",
        "tool_error:toolu_b",
    ]
    labels = [" ".join(e.text.split()) for e in elements if e.tag == "label"]
    assert "Result of get_weather" in labels and "Result of get_time" in labels
    assert labels.count("Error") == 2
    buttons = [e.text.strip() for e in elements if e.tag == "button"]
    assert "Send tool results" in buttons


@pytest.mark.parametrize(
    ("stop_reason", "state"),
    [("end_turn", Message.State.COMPLETE), ("tool_use", Message.State.STOPPED)],
)
def test_no_result_box_for_an_answer_that_does_not_wait(
    alice, alice_client, make_conversation, stop_reason, state
):
    conversation = make_conversation(
        alice, turns=[("user", "Q"), ("assistant", CALLS)], stop_reason=stop_reason, state=state
    )
    elements = _page(alice_client, conversation)
    assert not [e for e in elements if e.attrs.get("name", "").startswith("tool_result:")]
    assert "Send tool results" not in [e.text.strip() for e in elements if e.tag == "button"]
