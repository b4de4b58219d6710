"""The Simulator's exact bytes on the wire, read with plain ``httpx``: headers, error envelopes,
keep-alive comments, aborted bodies, authentication schemes and ignored extras."""

from __future__ import annotations

import json
import time

import httpx
import pytest

FLASH = "deepseek-v4-flash"


def body(text: str = "hello", **fields) -> dict:
    return {
        "model": FLASH,
        "max_tokens": 300,
        "messages": [{"role": "user", "content": text}],
    } | fields


def post(
    simulator, payload: dict | bytes, *, headers: dict | None = None, path: str = "/v1/messages"
):
    headers = {"x-api-key": simulator.api_key} if headers is None else headers
    content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return httpx.post(
        simulator.base_url + path,
        content=content,
        headers={"content-type": "application/json", **headers},
        timeout=10,
    )


def sse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for frame in text.split("\n\n"):
        lines = [line for line in frame.split("\n") if line and not line.startswith(":")]
        if lines:
            assert lines[0].startswith("event: ") and lines[1].startswith("data: ")
            events.append((lines[0][7:], json.loads(lines[1][6:])))
    return events


def test_every_event_names_the_type_its_data_carries(simulator):
    response = post(simulator, body(stream=True))

    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    assert all(name == data["type"] for name, data in events)
    assert [name for name, _ in events[:2]] == ["message_start", "ping"]
    assert [name for name, _ in events[-2:]] == ["message_delta", "message_stop"]


def test_every_response_carries_a_request_id(simulator):
    for payload in (body(), body(stream=True), body("[[fault:rate_limit]]"), {}):
        assert post(simulator, payload).headers["request-id"].startswith("req_")


@pytest.mark.parametrize(
    ("headers", "accepted"),
    [
        ({"x-api-key": "sim-abc"}, True),
        ({"authorization": "Bearer sim-abc"}, True),
        ({"authorization": "bearer sim-abc"}, True),
        ({"x-api-key": "sk-abc"}, False),
        ({"authorization": "Bearer sk-abc"}, False),
        ({"authorization": "Basic sim-abc"}, False),
        ({"x-api-key": "SIM-abc"}, False),
        ({}, False),
    ],
)
def test_keys_beginning_with_sim_are_accepted_in_either_scheme(simulator, headers, accepted):
    response = post(simulator, body(), headers=headers)

    assert response.status_code == (200 if accepted else 401)
    if not accepted:
        error = response.json()["error"]
        assert error["type"] == "authentication_error"
        assert error["message"].startswith("Authentication Fails")


def test_a_rejected_key_is_never_echoed_beyond_its_last_four_characters(simulator):
    response = post(simulator, body(), headers={"x-api-key": "sk-secret-value-9876"})

    assert "secret" not in response.text
    assert "****9876" in response.text


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (body() | {"model": ""}, "model"),
        ({"max_tokens": 10, "messages": [{"role": "user", "content": "x"}]}, "model"),
        ({"model": FLASH, "messages": [{"role": "user", "content": "x"}]}, "max_tokens"),
        (body(max_tokens=0), "max_tokens"),
        (body(max_tokens=384_001), "max_tokens"),
        (body(max_tokens="100"), "max_tokens"),
        (body(messages=[]), "messages"),
        (body(messages=[{"role": "assistant", "content": "x"}]), "messages[0].role"),
        (
            body(messages=[{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]),
            "messages[1].role",
        ),
        (body(temperature=2.1), "temperature"),
        (body(temperature=-0.1), "temperature"),
        (body(top_p=1.5), "top_p"),
        (body(stop_sequences=["a", "b", "c", "d", "e"]), "stop_sequences"),
        (body(thinking={"type": "sometimes"}), "thinking.type"),
        (body(output_config={"effort": "extreme"}), "output_config.effort"),
        (
            body(
                messages=[
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "look"},
                            {"type": "image", "source": {"type": "url", "url": "https://x/y.png"}},
                        ],
                    }
                ]
            ),
            "messages[0].content[1].type",
        ),
        (
            body(messages=[{"role": "user", "content": [{"type": "document", "source": {}}]}]),
            "messages[0].content[0].type",
        ),
        (body(tools=[{"name": "x"}]), "tools[0].input_schema"),
        (body(tools=[{"type": "web_search_20250305", "name": "web_search"}]), "tools[0].type"),
        (body(tool_choice={"type": "tool", "name": "missing"}), "tool_choice.name"),
        (body("[[fault:meltdown]] hi"), "messages"),
    ],
)
def test_an_invalid_request_gets_400_naming_the_field(simulator, payload, field):
    response = post(simulator, payload)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "message": response.json()["error"]["message"],
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_request_error",
        }
    }
    assert response.json()["error"]["message"].startswith(f"{field}: ")


def test_unsupported_content_is_said_to_be_not_supported(simulator):
    image = {"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}
    response = post(simulator, body(messages=[{"role": "user", "content": [image]}]))

    assert "image content is not supported" in response.json()["error"]["message"]


def test_a_malformed_json_body_gets_400_about_the_body(simulator):
    response = post(simulator, b'{"model": "deepseek-v4-flash", ')

    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("body: is not valid JSON")


def test_what_claude_code_sends_is_answered_with_unknown_fields_and_query_ignored(simulator):
    tools = [
        {
            "name": f"Tool{number}",
            "description": "A tool Claude Code offers.",
            "input_schema": {"type": "object", "properties": {"path": {"type": "string"}}},
            "cache_control": {"type": "ephemeral"},
        }
        for number in range(12)
    ]
    payload = body(
        "Say hi",
        stream=True,
        system=[
            {"type": "text", "text": "You are Claude Code.", "cache_control": {"type": "ephemeral"}}
        ],
        tools=tools,
        metadata={"user_id": "user_abc"},
        context_management={"edits": [{"type": "clear_tool_uses_20250919"}]},
        output_config={"effort": "high"},
        thinking={"type": "enabled", "budget_tokens": 1024},
        top_k=5,
        service_tier="auto",
        anthropic_specific_future_field={"anything": True},
    )
    headers = {
        "x-api-key": simulator.api_key,
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14",
    }

    response = post(simulator, payload, headers=headers, path="/v1/messages?beta=true")

    assert response.status_code == 200
    assert sse_events(response.text)[-1][0] == "message_stop"


def test_an_unknown_path_is_404_and_a_get_is_405(simulator):
    assert post(simulator, body(), path="/v1/complete").status_code == 404
    assert httpx.get(simulator.messages_url).status_code == 405


@pytest.mark.parametrize(
    ("fault", "status", "envelope"),
    [
        ("rate_limit", 429, "deepseek"),
        ("insufficient_balance", 402, "deepseek"),
        ("server_error", 500, "deepseek"),
        ("overloaded", 503, "deepseek"),
        ("overloaded_529", 529, "anthropic"),
    ],
)
def test_faults_answer_in_the_envelope_of_the_upstream_they_imitate(
    simulator, fault, status, envelope
):
    response = post(simulator, body(f"[[fault:{fault}]] hi"))

    assert response.status_code == status
    error = response.json()
    if envelope == "deepseek":
        assert set(error) == {"error"}
        assert set(error["error"]) == {"message", "type", "param", "code"}
    else:
        assert error == {
            "type": "error",
            "error": {"type": "overloaded_error", "message": "Overloaded"},
        }


def test_only_the_rate_limit_carries_retry_after(simulator):
    assert post(simulator, body("[[fault:rate_limit]]")).headers["retry-after"] == "1"
    assert "retry-after" not in post(simulator, body("[[fault:overloaded]]")).headers


def test_a_queued_stream_sends_keep_alive_comments_before_the_answer(simulator):
    response = post(simulator, body("[[fault:queued]] hi", stream=True))

    head, _, rest = response.text.partition("event: message_start")
    expected = simulator.config.queue_seconds / simulator.config.keepalive_interval
    assert head == ": keep-alive\n\n" * head.count(": keep-alive")
    assert 2 <= head.count(": keep-alive") <= expected + 1
    assert "keep-alive" not in rest


def test_a_queued_non_streaming_request_sends_blank_lines_before_the_json(simulator):
    response = post(simulator, body("[[fault:queued]] hi"))

    blank, _, _ = response.text.partition("{")
    assert blank and set(blank) == {"\n"}
    assert json.loads(response.text)["type"] == "message"


def test_a_slow_first_byte_holds_the_headers_back(simulator):
    started = time.monotonic()
    with httpx.stream(
        "POST",
        simulator.messages_url,
        json=body("[[fault:slow_first_byte]] hi", stream=True),
        headers={"x-api-key": simulator.api_key},
    ) as response:
        waited = time.monotonic() - started
        assert response.status_code == 200
        assert sse_events(response.read().decode())[-1][0] == "message_stop"

    assert waited >= simulator.config.slow_first_byte_seconds


def test_a_dropped_stream_ends_without_its_final_chunk(simulator):
    received = bytearray()
    with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
        with httpx.stream(
            "POST",
            simulator.messages_url,
            json=body("[[fault:drop]] hi", stream=True),
            headers={"x-api-key": simulator.api_key},
        ) as response:
            for chunk in response.iter_raw():
                received += chunk

    assert b"content_block_delta" in received
    assert b"message_stop" not in received


def test_a_dropped_non_streaming_answer_stops_short_of_its_content_length(simulator):
    with pytest.raises(httpx.RemoteProtocolError, match="expected"):
        post(simulator, body("[[fault:drop]] hi"))


def test_overloaded_mid_stream_is_an_error_event_after_some_deltas(simulator):
    response = post(simulator, body("[[fault:overloaded_mid]] hi", stream=True))

    events = sse_events(response.text)
    assert events[-1] == (
        "error",
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
    )
    assert sum(name == "content_block_delta" for name, _ in events) == 5
    assert "message_stop" not in [name for name, _ in events]
