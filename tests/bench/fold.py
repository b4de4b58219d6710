"""wire's SSE parse + fold against the official SDK's, on one 20,000-delta stream.

The stream mixes thinking, text and tool-input (``input_json_delta``) deltas with pings, cut into
network-sized chunks. wire runs ``StreamFolder`` (decoder, JSON, fold) over the chunks. The SDK
runs its real streaming path: ``client.messages.stream(...)`` and ``get_final_message()`` over
an ``httpx2.MockTransport`` that answers with the same chunks (its SSE decoder, its event models
and ``accumulate_event``). Both must produce the same message before anything is timed; each
side's time is the best of several runs, alternating, in this one process.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from collections.abc import Callable

import anthropic
import httpx2

from playground.wire.fold import StreamFolder

DELTAS = 20_000
CHUNK_SIZE = 1_024
TOOL_CALLS = 8
REPEATS = 3
GOAL = 3.0


def _event(data: dict) -> bytes:
    return f"event: {data['type']}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def _delta(index: int, kind: str, key: str, value: str) -> bytes:
    return _event(
        {"type": "content_block_delta", "index": index, "delta": {"type": kind, key: value}}
    )


def build_stream(deltas: int = DELTAS) -> tuple[bytes, int]:
    """A stream with ``deltas`` content deltas (40% thinking, 40% text, 20% tool input), and the
    number of events it holds."""
    thinking = deltas * 2 // 5
    text = deltas * 2 // 5
    tools = deltas - thinking - text
    start = {
        "type": "message_start",
        "message": {
            "id": "msg_bench",
            "type": "message",
            "role": "assistant",
            "model": "deepseek-v4-pro",
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 1200, "output_tokens": 0},
        },
    }
    parts = [_event(start), _event({"type": "ping"})]

    def block(index: int, content_block: dict) -> None:
        parts.append(
            _event({"type": "content_block_start", "index": index, "content_block": content_block})
        )

    def stop(index: int) -> None:
        parts.append(_event({"type": "content_block_stop", "index": index}))

    block(0, {"type": "thinking", "thinking": "", "signature": ""})
    for n in range(thinking):
        parts.append(_delta(0, "thinking_delta", "thinking", f"step {n} of the reasoning, "))
    parts.append(_delta(0, "signature_delta", "signature", "sig_" + "ab" * 32))
    stop(0)
    block(1, {"type": "text", "text": ""})
    for n in range(text):
        if n % 1000 == 0:
            parts.append(_event({"type": "ping"}))
        parts.append(_delta(1, "text_delta", "text", f" word{n % 97} — ok"))
    stop(1)
    # Tool input comes in several calls of a few kilobytes each, as real tool calls do.
    for call in range(TOOL_CALLS):
        per_tool = tools // TOOL_CALLS + (call < tools % TOOL_CALLS)
        index = 2 + call
        block(index, {"type": "tool_use", "id": f"call_{call}", "name": "lookup", "input": {}})
        document = json.dumps(
            {"items": [{"id": n, "label": f"item {n}"} for n in range(per_tool // 2)]}
        )
        cuts = [len(document) * piece // per_tool for piece in range(per_tool + 1)]
        for begin, end in itertools.pairwise(cuts):
            parts.append(_delta(index, "input_json_delta", "partial_json", document[begin:end]))
        stop(index)
    parts.append(
        _event(
            {
                "type": "message_delta",
                "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                "usage": {"output_tokens": deltas},
            }
        )
    )
    parts.append(_event({"type": "message_stop"}))
    return b"".join(parts), len(parts)


def chunked(raw: bytes, size: int = CHUNK_SIZE) -> list[bytes]:
    return [raw[offset : offset + size] for offset in range(0, len(raw), size)]


def wire_fold(chunks: list[bytes]) -> dict:
    folder = StreamFolder()
    for chunk in chunks:
        folder.feed(chunk)
    folder.close()
    result = folder.result()
    if result.message is None:
        raise RuntimeError(f"wire failed to fold the benchmark stream: {result.error}")
    return result.message


def sdk_fold(chunks: list[bytes]) -> dict:
    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200, headers={"content-type": "text/event-stream"}, content=iter(chunks)
        )

    http = httpx2.Client(transport=httpx2.MockTransport(answer))
    client = anthropic.Anthropic(
        api_key="sim-bench", base_url="http://bench.invalid", http_client=http, max_retries=0
    )
    with client.messages.stream(
        model="deepseek-v4-pro", max_tokens=DELTAS * 2, messages=[{"role": "user", "content": "Go"}]
    ) as stream:
        return stream.get_final_message().to_dict(mode="json")


def timed(run: Callable[[list[bytes]], dict], chunks: list[bytes]) -> float:
    started = time.perf_counter()
    run(chunks)
    return time.perf_counter() - started


def main() -> None:
    raw, events = build_stream()
    chunks = chunked(raw)
    if wire_fold(chunks) != sdk_fold(chunks):
        raise RuntimeError("wire and the SDK disagree on the benchmark stream")
    # Runs alternate, so that a busy machine slows both sides alike.
    wire_seconds = sdk_seconds = float("inf")
    for _ in range(REPEATS):
        wire_seconds = min(wire_seconds, timed(wire_fold, chunks))
        sdk_seconds = min(sdk_seconds, timed(sdk_fold, chunks))
    ratio = sdk_seconds / wire_seconds
    out = sys.stdout
    out.write(
        f"stream: {DELTAS:,} deltas, {events:,} events, {len(raw) / 1e6:.1f} MB "
        f"in {len(chunks):,} chunks of {CHUNK_SIZE:,} bytes; best of {REPEATS}\n"
    )
    out.write(
        f"wire  StreamFolder (SSE decode + JSON + fold)          {wire_seconds * 1e3:8.1f} ms"
        f"  {events / wire_seconds:>11,.0f} events/s\n"
    )
    out.write(
        f"SDK   messages.stream().get_final_message() (httpx2)   {sdk_seconds * 1e3:8.1f} ms"
        f"  {events / sdk_seconds:>11,.0f} events/s\n"
    )
    verdict = "meets" if ratio >= GOAL else "MISSES"
    out.write(f"ratio wire/SDK: {ratio:.1f}x ({verdict} the {GOAL:g}x goal)\n")


if __name__ == "__main__":
    main()
