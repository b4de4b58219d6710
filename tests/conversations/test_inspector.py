"""The inspector: an answer's exact request (key masked), its final message, its stream timeline."""

from __future__ import annotations

import json

from django.conf import settings

from playground.conversations.inspector import masked_headers
from playground.conversations.models import Message
from playground.wire.providers import builtin_providers
from tests.conversations.page_html import parse

SECRET = "sk-inspector-0123456789abcdefWXYZ"
REQUEST = {
    "model": "deepseek-v4-flash",
    "max_tokens": 512,
    "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi <there>"}]}],
    "thinking": {"type": "enabled"},
    "stream": True,
}
CONTENT = [
    {"type": "thinking", "thinking": "Greet back.", "signature": "c2ln"},
    {"type": "text", "text": "Hello!"},
]
TIMELINE = {
    "events": {"message_stop": 1, "content_block_delta": 9, "message_start": 1, "ping": 2},
    "keepalives": 0,
    "retries": 1,
    "first_thinking_ms": 41,
    "first_text_ms": 230,
    "thinking_ms": 150,
    "request_headers": {"anthropic-version": "2023-06-01", "x-api-key": "…WXYZ"},
}


def _providers():
    return builtin_providers(
        deepseek_base_url="https://api.deepseek.com/anthropic",
        evolink_base_url="https://evolink.example/anthropic",
        simulator_base_url=settings.PLAYGROUND_SIMULATOR_BASE_URL,
    )


def test_headers_show_the_key_masked_in_the_providers_own_scheme():
    providers = _providers()
    deepseek = masked_headers(provider=providers["deepseek"], api_key=SECRET)
    assert deepseek["x-api-key"] == "…WXYZ" and "authorization" not in deepseek
    evolink = masked_headers(provider=providers["evolink"], api_key=SECRET)
    assert evolink["authorization"] == "Bearer …WXYZ"
    assert SECRET not in json.dumps([deepseek, evolink])


def test_the_inspector_shows_request_response_and_timeline(alice, alice_client, make_conversation):
    conversation = make_conversation(
        alice,
        turns=[("user", "Hi <there>"), ("assistant", CONTENT)],
        provider="deepseek",
        model="deepseek-v4-flash",
        upstream_id="msg_01abc",
        usage={"input_tokens": 7, "output_tokens": 11},
        stop_reason="end_turn",
        request=REQUEST,
        timeline=TIMELINE,
        duration_ms=480,
    )
    response = alice_client.get(
        f"/m/{conversation.current_leaf_id}/inspect/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html, "a fragment for the dialog"
    assert "POST https://api.deepseek.com/anthropic/v1/messages" in html
    assert "x-api-key: …WXYZ" in html
    # As stored: PostgreSQL's jsonb keeps the keys, not their order.
    stored_request = Message.objects.get(pk=conversation.current_leaf_id).request
    assert stored_request == REQUEST
    assert (
        json.dumps(stored_request, indent=2)
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        in html
    )
    panels = {e.attrs["id"]: e.text for e in parse(html) if e.attrs.get("role") == "tabpanel"}
    response_json = json.loads(panels["inspect-response"])
    assert response_json == {
        "id": "msg_01abc",
        "type": "message",
        "role": "assistant",
        "model": "deepseek-v4-flash",
        "content": CONTENT,
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 7, "output_tokens": 11},
    }
    timeline = " ".join(panels["inspect-timeline"].split())
    assert "Time to first thinking 41 ms" in timeline
    assert "Thinking duration 150 ms" in timeline
    assert "Time to first text 230 ms" in timeline
    assert "Stop reason end_turn" in timeline
    # Counts in the protocol's order.
    assert timeline.index("message_start 1") < timeline.index("content_block_delta 9")
    assert timeline.index("content_block_delta 9") < timeline.index("message_stop 1")


def test_an_answer_without_a_request_yet_says_so_and_the_page_form_is_whole(alice, alice_client):
    message = Message.objects.create(
        conversation=alice.conversations.create(),
        role="assistant",
        state=Message.State.STREAMING,
    )
    html = alice_client.get(f"/m/{message.pk}/inspect/").content.decode()
    assert "<html" in html and "The request is recorded when the answer ends." in html


def test_every_finished_answer_has_an_inspect_button(alice, alice_client, make_conversation):
    conversation = make_conversation(alice, turns=[("user", "Q"), ("assistant", "A")])
    html = alice_client.get(f"/c/{conversation.pk}/").content.decode()
    buttons = [e for e in parse(html) if e.tag == "button" and e.text.strip() == "Inspect"]
    assert len(buttons) == 1
    assert buttons[0].attrs["hx-get"] == f"/m/{conversation.current_leaf_id}/inspect/"
