"""The answer's speed: tokens per second from the config or ``[[speed:N]]``, pro at half speed,
batched at very high speeds, and the stream given up when the client leaves."""

from __future__ import annotations

import asyncio
import json
import time

import httpx

from playground.simulator.app import SimulatorApp
from playground.simulator.config import SimulatorConfig
from playground.simulator.pacing import Pacer

WORDS = " ".join(f"word{n}" for n in range(2000))


def stream_body(text: str, *, model: str = "deepseek-v4-flash") -> bytes:
    return json.dumps(
        {
            "model": model,
            "max_tokens": 10_000,
            "stream": True,
            "thinking": {"type": "disabled"},
            "messages": [{"role": "user", "content": text}],
        }
    ).encode()


async def serve(app: SimulatorApp, body: bytes, *, leave_after: float | None = None) -> list[dict]:
    """Play the ASGI server for one request; return what the app sent."""
    sent: list[dict] = []
    requested = False

    async def receive() -> dict:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": body, "more_body": False}
        if leave_after is None:
            await asyncio.Event().wait()
        await asyncio.sleep(leave_after)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/messages",
        "headers": [(b"x-api-key", b"sim-test")],
    }
    await app(scope, receive, send)
    return sent


def received_bytes(sent: list[dict]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def timed_post(simulator, text: str, *, model: str = "deepseek-v4-flash") -> float:
    started = time.monotonic()
    response = httpx.post(
        simulator.messages_url,
        content=stream_body(text, model=model),
        headers={"x-api-key": simulator.api_key},
        timeout=30,
    )
    assert response.text.endswith('{"type":"message_stop"}\n\n')
    return time.monotonic() - started


def test_the_speed_directive_paces_the_stream(simulator):
    # 60 tokens at 200 per second take 0.3 s, where the session's own speed would take 12 ms.
    text = "[[echo]] [[speed:200]] " + " ".join(["tick"] * 60)

    assert timed_post(simulator, text) >= 0.28


def test_pro_streams_at_half_the_speed(simulator):
    # 60 tokens at 150 per second: 0.4 s for flash, 0.8 s for pro. Only lower bounds are
    # asserted, so that a busy machine cannot make the test fail.
    text = "[[echo]] [[speed:150]] " + " ".join(["tock"] * 60)

    assert timed_post(simulator, text) >= 0.38
    assert timed_post(simulator, text, model="deepseek-v4-pro") >= 0.78


async def test_very_high_speeds_send_deltas_in_batches():
    app = SimulatorApp(SimulatorConfig(tokens_per_second=100_000, first_byte_delay=0))

    sent = await serve(app, stream_body("[[echo]] " + WORDS))

    body = received_bytes(sent)
    deltas = body.count(b"event: content_block_delta")
    assert deltas > 500
    assert len(sent) < deltas / 10
    assert body.endswith(b'{"type":"message_stop"}\n\n')


async def test_unlimited_speed_still_yields_to_other_tasks():
    app = SimulatorApp(SimulatorConfig(tokens_per_second=0, first_byte_delay=0))
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await serve(app, stream_body("[[echo]] " + WORDS))
    task.cancel()

    assert ticks > 3


async def test_a_client_that_leaves_stops_the_stream():
    app = SimulatorApp(SimulatorConfig(tokens_per_second=50, first_byte_delay=0))
    started = time.monotonic()

    sent = await serve(app, stream_body("[[echo]] " + WORDS), leave_after=0.2)

    # The whole answer would take 40 s; a generous bound still tells stopping from finishing.
    assert time.monotonic() - started < 10
    assert b"message_stop" not in received_bytes(sent)


def test_the_pacer_schedules_tokens_from_the_start():
    pacer = Pacer(tokens_per_second=100)

    assert pacer.wait_for(0) <= 0
    assert 0.05 < pacer.wait_for(10) <= 0.1
    assert 0.15 < pacer.wait_for(10) <= 0.2


def test_an_unlimited_pacer_never_waits():
    pacer = Pacer(tokens_per_second=0)

    assert pacer.wait_for(1_000_000) <= 0
