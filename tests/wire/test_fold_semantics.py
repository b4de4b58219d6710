"""What the folder makes of a stream, spelled out: content, usage, stops, errors and snapshots."""

from __future__ import annotations

import json

from playground.wire.errors import UpstreamError
from playground.wire.fold import KeepAlive, MessageFolder, StreamEvent, StreamFolder, fold_bytes

START = {
    "type": "message_start",
    "message": {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "deepseek-v4-pro",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 5, "output_tokens": 0},
    },
}


def started_folder() -> MessageFolder:
    folder = MessageFolder()
    folder.feed("message_start", START)
    return folder


def tool_start(index: int) -> dict:
    block = {"type": "tool_use", "id": f"call_{index}", "name": "f", "input": {}}
    return {"type": "content_block_start", "index": index, "content_block": block}


def json_delta(index: int, text: str) -> dict:
    delta = {"type": "input_json_delta", "partial_json": text}
    return {"type": "content_block_delta", "index": index, "delta": delta}


def text_delta(index: int, text: str) -> dict:
    delta = {"type": "text_delta", "text": text}
    return {"type": "content_block_delta", "index": index, "delta": delta}


def test_tool_inputs_are_parsed_from_json_cut_anywhere(transcript):
    message = fold_bytes(transcript("tool_use_split")).message
    assert [block["type"] for block in message["content"]] == ["text", *["tool_use"] * 3]
    assert message["content"][1]["input"] == {
        "city": "Paris",
        "unit": "celsius",
        "days": 12,
        "note": "café",
        "ok": True,
    }
    assert message["content"][2]["input"] == {"zone": "UTC"}
    assert message["content"][3]["input"] == {}  # no delta at all: the input it started with
    assert message["stop_reason"] == "tool_use"


def test_thinking_keeps_its_signature_and_text_keeps_every_character(transcript):
    message = fold_bytes(transcript("thinking_then_text")).message
    thinking, text = message["content"]
    assert thinking == {
        "type": "thinking",
        "thinking": "The user greets me in French; answer in kind — briefly. 🙂",
        "signature": "sig_5e1f0a9c",
    }
    assert text == {"type": "text", "text": "Bonjour ! Ça va très bien,\nmerci. 你好 🙂"}
    assert message["usage"] == {"input_tokens": 21, "output_tokens": 57}
    assert message["stop_reason"] == "end_turn"


def test_a_stop_sequence_is_reported_with_its_reason(transcript):
    message = fold_bytes(transcript("stop_sequence")).message
    assert message["stop_reason"] == "stop_sequence"
    assert message["stop_sequence"] == "3."
    assert message["content"][0]["text"] == "1. Apples\n2. Pears\n"


def test_max_tokens_leaves_a_tool_input_as_far_as_it_got(transcript):
    message = fold_bytes(transcript("max_tokens")).message
    assert message["stop_reason"] == "max_tokens"
    assert message["content"][2]["input"] == {"city": "Lyon", "days": 3}


def test_message_delta_usage_overwrites_counts_it_carries_and_keeps_the_rest(transcript):
    message = fold_bytes(transcript("anthropic_extras")).message
    assert message["usage"] == {
        "input_tokens": 420,
        "output_tokens": 99,
        "cache_creation_input_tokens": 12,  # null in message_delta: the start's value stays
        "cache_read_input_tokens": 300,
        "server_tool_use": {"web_search_requests": 1},
    }
    assert message["container"]["id"] == "container_1"
    assert message["stop_details"] is None


def test_citations_server_tools_and_redacted_thinking_are_kept(transcript):
    content = fold_bytes(transcript("anthropic_extras")).message["content"]
    assert content[0] == {"type": "redacted_thinking", "data": "EmwKAhgB"}
    assert content[1]["input"] == {"query": "sky colour"}
    assert content[2]["type"] == "web_search_tool_result"
    assert content[3]["text"] == "It is blue."
    assert [c["cited_text"] for c in content[3]["citations"]] == ["The sky is blue.", "Blue."]


def test_an_error_event_ends_the_fold_and_keeps_the_partial_message(transcript):
    result = fold_bytes(transcript("error_midstream"))
    assert not result.ok
    assert result.error.type == "overloaded_error"
    assert result.error.status is None
    assert "stopped in the middle" in result.error.user_message()
    assert result.partial["content"][0]["thinking"] == "Thinking about it"
    assert result.partial["content"][1]["text"] == "Half an ans"  # nothing after the error


def test_an_error_before_message_start_has_no_partial(transcript):
    result = fold_bytes(transcript("error_before_start"))
    assert result.error.type == "api_error"
    assert result.error.message == "Internal server error"
    assert result.partial is None


def test_a_stream_cut_short_is_incomplete_and_keeps_what_arrived(transcript):
    result = fold_bytes(transcript("incomplete"))
    assert result.error.type == "incomplete_stream"
    assert result.error.message == "the stream ended in the middle of an event"
    assert [block["text"] for block in result.partial["content"]] == [
        "Complete block.",
        "Cut off mid",
    ]


def test_a_stream_that_stops_between_events_before_message_stop_is_incomplete(transcript):
    raw = transcript("stop_sequence")
    result = fold_bytes(raw[: raw.index(b"event: message_stop")])
    assert result.error.type == "incomplete_stream"
    assert result.error.message == "the stream ended before message_stop"
    assert result.partial["stop_reason"] == "stop_sequence"


def test_keep_alive_comments_pings_and_unknown_events_are_surfaced_but_not_folded(transcript):
    folder = StreamFolder()
    items = folder.feed(transcript("keepalive_queue"))
    assert items[:4] == [KeepAlive("keep-alive")] * 3 + [KeepAlive("")]
    types = [item.type for item in items if isinstance(item, StreamEvent)]
    assert "ping" in types
    assert "future_event" in types
    message = folder.result().message
    assert message["content"][0]["text"] == "Hello there"  # the event with no name is not folded


def test_a_snapshot_mid_stream_shows_partial_text_and_partial_tool_input():
    folder = started_folder()
    folder.feed(
        "content_block_start",
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    )
    folder.feed("content_block_delta", text_delta(0, "Hel"))
    folder.feed("content_block_start", tool_start(1))
    folder.feed("content_block_delta", json_delta(1, '{"a": [1, 2'))
    folder.feed("content_block_delta", json_delta(1, '], "b": "unfinish'))
    snapshot = folder.snapshot()
    assert snapshot["content"][0]["text"] == "Hel"
    assert snapshot["content"][1]["input"] == {"a": [1, 2]}
    folder.feed("content_block_delta", text_delta(0, "lo"))
    assert folder.snapshot()["content"][0]["text"] == "Hello"
    assert not folder.finished


def test_a_snapshot_belongs_to_the_caller():
    folder = started_folder()
    folder.feed("content_block_start", tool_start(0))
    folder.feed("content_block_delta", json_delta(0, '{"k": {"deep": 1}}'))
    snapshot = folder.snapshot()
    snapshot["content"][0]["input"]["k"]["deep"] = 2
    snapshot["usage"]["output_tokens"] = 999
    again = folder.snapshot()
    assert again["content"][0]["input"] == {"k": {"deep": 1}}
    assert again["usage"]["output_tokens"] == 0


def test_events_before_message_start_and_a_second_message_start_are_ignored():
    folder = MessageFolder()
    folder.feed("content_block_delta", text_delta(0, "too early"))
    assert not folder.started
    folder.feed("message_start", START)
    second = json.loads(json.dumps(START))
    second["message"]["id"] = "msg_2"
    folder.feed("message_start", second)
    assert folder.snapshot()["id"] == "msg_1"


def test_a_delta_for_a_block_never_started_is_an_invalid_stream():
    folder = started_folder()
    folder.feed("content_block_delta", text_delta(3, "nowhere"))
    result = folder.result()
    assert result.error.type == "invalid_stream"
    assert "never started" in result.error.message
    assert result.partial["id"] == "msg_1"


def test_a_delta_whose_text_is_not_a_string_is_an_invalid_stream():
    folder = started_folder()
    folder.feed(
        "content_block_start",
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    )
    folder.feed("content_block_delta", text_delta(0, 42))
    assert folder.result().error.type == "invalid_stream"


def test_event_data_that_is_not_json_is_an_invalid_stream():
    raw = b"event: message_start\ndata: " + json.dumps(START).encode() + b"\n\n"
    raw += b"event: content_block_delta\ndata: {not json\n\n"
    result = fold_bytes(raw)
    assert result.error.type == "invalid_stream"
    assert result.partial["id"] == "msg_1"


def test_tool_input_that_is_not_json_at_the_end_is_an_error_that_keeps_the_partial():
    folder = started_folder()
    folder.feed("content_block_start", tool_start(0))
    folder.feed("content_block_delta", json_delta(0, '{"a": nope}'))
    folder.feed(
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": "tool_use"},
            "usage": {"output_tokens": 3},
        },
    )
    folder.feed("message_stop", {"type": "message_stop"})
    result = folder.result()
    assert result.error.type == "invalid_tool_input"
    assert result.partial["content"][0]["input"] == {}


def test_a_connection_lost_mid_stream_keeps_the_partial_message():
    folder = started_folder()
    folder.feed(
        "content_block_start",
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    )
    folder.feed("content_block_delta", text_delta(0, "so far"))
    folder.fail(UpstreamError(None, "connection_error", "peer closed the connection"))
    folder.feed("content_block_delta", text_delta(0, " and later"))
    result = folder.result()
    assert result.to_dict()["error"] == {
        "type": "connection_error",
        "message": "peer closed the connection",
    }
    assert result.partial["content"][0]["text"] == "so far"


def test_a_message_delta_without_usage_counts_sets_output_tokens_to_null_as_the_sdk_does():
    folder = started_folder()
    folder.feed(
        "message_delta",
        {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {}},
    )
    folder.feed("message_stop", {"type": "message_stop"})
    message = folder.result().message
    assert message["usage"] == {"input_tokens": 5, "output_tokens": None}
    assert message["stop_sequence"] is None


def test_an_ok_result_serialises_to_the_cli_shape():
    folder = started_folder()
    folder.feed("message_stop", {"type": "message_stop"})
    assert folder.result().to_dict() == {"ok": True, "message": {**START["message"]}}
