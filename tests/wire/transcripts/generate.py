"""Writes the recorded-stream fixtures (``*.sse``) beside this file.

Run ``python tests/wire/transcripts/generate.py`` after changing it; a test checks that the
files on disk are what this script makes. Each transcript is a Messages stream as DeepSeek (or,
for ``anthropic_extras``, Anthropic) sends it, with the framing variations the decoder must
survive: keep-alive comments, pings, CRLF and CR line ends, multi-line data, events without an
``event:`` line, unknown events, and a stream cut short.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODEL = "deepseek-v4-flash"


def event(name: str | None, data: dict, *, pretty: bool = False, space: bool = True) -> str:
    """One event block; ``pretty`` spreads the JSON over several ``data:`` lines."""
    text = json.dumps(data, indent=2 if pretty else None, ensure_ascii=False)
    prefix = "data: " if space else "data:"
    lines = [f"event: {name}"] if name is not None else []
    lines += [prefix + line for line in text.split("\n")]
    return "\n".join(lines) + "\n\n"


def message_start(message_id: str, *, input_tokens: int = 21, **usage: int) -> dict:
    return {
        "type": "message_start",
        "message": {
            "id": message_id,
            "type": "message",
            "role": "assistant",
            "model": MODEL,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "output_tokens": 0, **usage},
        },
    }


def block_start(index: int, block: dict) -> dict:
    return {"type": "content_block_start", "index": index, "content_block": block}


def delta(index: int, kind: str, **fields: str) -> dict:
    return {"type": "content_block_delta", "index": index, "delta": {"type": kind, **fields}}


def block_stop(index: int) -> dict:
    return {"type": "content_block_stop", "index": index}


def message_delta(
    stop_reason: str, output_tokens: int, *, stop_sequence: str | None = None
) -> dict:
    return {
        "type": "message_delta",
        "delta": {"stop_reason": stop_reason, "stop_sequence": stop_sequence},
        "usage": {"output_tokens": output_tokens},
    }


PING = {"type": "ping"}
STOP = {"type": "message_stop"}


def thinking_block(index: int, pieces: list[str], signature: str) -> list[tuple[str, dict]]:
    return [
        (
            "content_block_start",
            block_start(index, {"type": "thinking", "thinking": "", "signature": ""}),
        ),
        *[("content_block_delta", delta(index, "thinking_delta", thinking=p)) for p in pieces],
        ("content_block_delta", delta(index, "signature_delta", signature=signature)),
        ("content_block_stop", block_stop(index)),
    ]


def text_block(index: int, pieces: list[str]) -> list[tuple[str, dict]]:
    return [
        ("content_block_start", block_start(index, {"type": "text", "text": ""})),
        *[("content_block_delta", delta(index, "text_delta", text=p)) for p in pieces],
        ("content_block_stop", block_stop(index)),
    ]


def tool_block(index: int, tool_id: str, name: str, pieces: list[str]) -> list[tuple[str, dict]]:
    block = {"type": "tool_use", "id": tool_id, "name": name, "input": {}}
    return [
        ("content_block_start", block_start(index, block)),
        *[
            ("content_block_delta", delta(index, "input_json_delta", partial_json=p))
            for p in pieces
        ],
        ("content_block_stop", block_stop(index)),
    ]


def render(events: list[tuple[str, dict]], **options: bool) -> str:
    return "".join(event(name, data, **options) for name, data in events)


def thinking_then_text() -> str:
    return render(
        [
            ("message_start", message_start("msg_thinking_text")),
            ("ping", PING),
            *thinking_block(
                0,
                ["The user greets ", "me in French; ", "answer in kind — briefly. ", "🙂"],
                "sig_5e1f0a9c",
            ),
            *text_block(1, ["Bonjour", " ! Ça va ", "très bien,\nmerci. ", "你好 🙂"]),
            ("message_delta", message_delta("end_turn", 57)),
            ("message_stop", STOP),
        ]
    )


def tool_use_split() -> str:
    # The input JSON is cut inside keys, strings, a \u escape, a number and a literal.
    weather = [
        '{"ci',
        'ty": "Par',
        'is", "unit": "cel',
        'sius", "days": 1',
        "2, ",
        '"note": "caf\\u00',
        'e9", "ok": tr',
        "ue}",
    ]
    clock = ["", '{"zone":', ' "UTC"}']
    return render(
        [
            ("message_start", message_start("msg_tools", input_tokens=180)),
            *text_block(0, ["Let me check ", "both."]),
            *tool_block(1, "call_weather_01", "get_weather", weather),
            *tool_block(2, "call_clock_01", "read_clock", clock),
            *tool_block(3, "call_ping_01", "ping_server", []),
            ("message_delta", message_delta("tool_use", 64)),
            ("message_stop", STOP),
        ]
    )


def keepalive_queue() -> str:
    queued = ": keep-alive\n\n" * 3 + ":\n\n"
    odd = (
        event(None, delta(0, "text_delta", text="no event line"))
        + 'event: future_event\ndata: {"type": "future_event", "detail": 1}\n\n'
        "id: 7\nretry: 3000\nfoo: bar\n"
        + event("content_block_delta", delta(0, "text_delta", text=" there"))
    )
    head = render(
        [
            ("message_start", message_start("msg_queued")),
            ("ping", PING),
            ("content_block_start", block_start(0, {"type": "text", "text": ""})),
            ("content_block_delta", delta(0, "text_delta", text="Hello")),
        ]
    )
    tail = render(
        [
            ("ping", PING),
            ("content_block_stop", block_stop(0)),
            ("message_delta", message_delta("end_turn", 3)),
            ("message_stop", STOP),
        ]
    )
    return queued + head + ": keep-alive\n\n" + odd + tail


def crlf_lines() -> str:
    return thinking_then_text().replace("\n", "\r\n")


def cr_lines() -> str:
    # Mixed line ends: the standard allows CR, LF and CRLF, even within one stream.
    text = tool_use_split()
    blocks = text.split("\n\n")
    ends = ["\r", "\n", "\r\n"]
    return "".join(
        block.replace("\n", ends[i % 3]) + ends[(i + 1) % 3] * 2
        for i, block in enumerate(blocks[:-1])
    )


def multiline_data() -> str:
    events = [
        ("message_start", message_start("msg_multiline")),
        *thinking_block(0, ["Line one.\n", "Line two."], "sig_multi"),
        *text_block(1, ['{"json": "inside text"}', "\n\n", "end"]),
        ("message_delta", message_delta("end_turn", 12)),
        ("message_stop", STOP),
    ]
    return render(events, pretty=True, space=False)


def error_midstream() -> str:
    overloaded = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    return render(
        [
            ("message_start", message_start("msg_overloaded")),
            *thinking_block(0, ["Thinking about it"], "sig_err"),
            ("content_block_start", block_start(1, {"type": "text", "text": ""})),
            ("content_block_delta", delta(1, "text_delta", text="Half an ans")),
            ("error", overloaded),
            ("content_block_delta", delta(1, "text_delta", text="wer that never comes")),
            ("message_stop", STOP),
        ]
    )


def error_before_start() -> str:
    error = {"type": "error", "error": {"type": "api_error", "message": "Internal server error"}}
    return ": keep-alive\n\n" + render([("error", error)])


def stop_sequence() -> str:
    return render(
        [
            ("message_start", message_start("msg_stopseq")),
            *text_block(0, ["1. Apples\n", "2. Pears\n"]),
            ("message_delta", message_delta("stop_sequence", 9, stop_sequence="3.")),
            ("message_stop", STOP),
        ]
    )


def max_tokens() -> str:
    return render(
        [
            ("message_start", message_start("msg_maxtokens")),
            *thinking_block(0, ["I should call the tool ", "with a long"], "sig_max"),
            *text_block(1, ["Calling it now."]),
            (
                "content_block_start",
                block_start(
                    2, {"type": "tool_use", "id": "call_cut", "name": "get_weather", "input": {}}
                ),
            ),
            (
                "content_block_delta",
                delta(
                    2, "input_json_delta", partial_json='{"city": "Lyon", "days": 3, "unit": "cel'
                ),
            ),
            ("content_block_stop", block_stop(2)),
            ("message_delta", message_delta("max_tokens", 64)),
            ("message_stop", STOP),
        ]
    )


def anthropic_extras() -> str:
    citation = {
        "type": "char_location",
        "cited_text": "The sky is blue.",
        "document_index": 0,
        "document_title": "Facts",
        "start_char_index": 0,
        "end_char_index": 16,
    }
    search = {"type": "server_tool_use", "id": "srvtoolu_01", "name": "web_search", "input": {}}
    results = {
        "type": "web_search_tool_result",
        "tool_use_id": "srvtoolu_01",
        "content": [
            {
                "type": "web_search_result",
                "url": "https://example.org",
                "title": "Example",
                "encrypted_content": "abc",
                "page_age": None,
            }
        ],
    }
    final_delta = {
        "type": "message_delta",
        "delta": {
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "container": {"id": "container_1", "expires_at": "2030-01-01T00:00:00Z"},
        },
        "usage": {
            "output_tokens": 99,
            "input_tokens": 420,
            "cache_creation_input_tokens": None,
            "cache_read_input_tokens": 300,
            "server_tool_use": {"web_search_requests": 1},
        },
    }
    return render(
        [
            (
                "message_start",
                message_start(
                    "msg_extras",
                    input_tokens=400,
                    cache_creation_input_tokens=12,
                    cache_read_input_tokens=0,
                ),
            ),
            (
                "content_block_start",
                block_start(0, {"type": "redacted_thinking", "data": "EmwKAhgB"}),
            ),
            ("content_block_stop", block_stop(0)),
            ("content_block_start", block_start(1, search)),
            ("content_block_delta", delta(1, "input_json_delta", partial_json='{"query": "sky')),
            ("content_block_delta", delta(1, "input_json_delta", partial_json=' colour"}')),
            ("content_block_stop", block_stop(1)),
            ("content_block_start", block_start(2, results)),
            ("content_block_stop", block_stop(2)),
            (
                "content_block_start",
                block_start(3, {"type": "text", "text": "", "citations": None}),
            ),
            ("content_block_delta", delta(3, "text_delta", text="It is blue.")),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 3,
                    "delta": {"type": "citations_delta", "citation": citation},
                },
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 3,
                    "delta": {
                        "type": "citations_delta",
                        "citation": {**citation, "cited_text": "Blue."},
                    },
                },
            ),
            # A delta of a kind that does not fit its block is ignored, as by the SDK.
            ("content_block_delta", delta(0, "text_delta", text="ignored")),
            ("content_block_stop", block_stop(3)),
            ("message_delta", final_delta),
            ("message_stop", STOP),
        ]
    )


def incomplete() -> str:
    text = render(
        [
            ("message_start", message_start("msg_dropped")),
            *text_block(0, ["Complete block."]),
            ("content_block_start", block_start(1, {"type": "text", "text": ""})),
            ("content_block_delta", delta(1, "text_delta", text="Cut off mid")),
        ]
    )
    # The connection drops in the middle of the next event.
    return text + 'event: content_block_delta\ndata: {"type": "content_block_delta", "ind'


TRANSCRIPTS: dict[str, Callable[[], str]] = {
    "thinking_then_text": thinking_then_text,
    "tool_use_split": tool_use_split,
    "keepalive_queue": keepalive_queue,
    "crlf_lines": crlf_lines,
    "cr_lines": cr_lines,
    "multiline_data": multiline_data,
    "error_midstream": error_midstream,
    "error_before_start": error_before_start,
    "stop_sequence": stop_sequence,
    "max_tokens": max_tokens,
    "anthropic_extras": anthropic_extras,
    "incomplete": incomplete,
}


def rendered() -> dict[str, bytes]:
    return {f"{name}.sse": make().encode() for name, make in TRANSCRIPTS.items()}


def main() -> int:
    for filename, content in rendered().items():
        (HERE / filename).write_bytes(content)
    sys.stdout.write(f"wrote {len(TRANSCRIPTS)} transcripts to {HERE}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
