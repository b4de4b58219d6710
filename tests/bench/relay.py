"""The relay: throughput, pace and cost of an answer streamed through Playground, against the SDK.

How it runs: the app in this process (``playground.asgi.application`` driven by Channels'
``WebsocketCommunicator`` as the browser, the in-memory channel layer, a temporary SQLite
database); the Simulator standalone in a subprocess at full speed (no first-byte delay); the
``anthropic`` SDK streaming the same answers directly from that Simulator as the reference. Every
answer is the Simulator's ``[[echo]]`` of distinct words ("w0 w1 …", one token each), so both
sides get the same bytes and the browser can tell which token each frame brought.

- throughput: a 20,000-token answer as fast as the Simulator sends it; relay time (Send to the
  last frame) / the SDK's time (request to final message), best of a few alternating runs.
- pace: 500 tokens at 100 tokens/s with 1 and with 100 concurrent streams (100 users, sent at
  once); completion time (Send to last frame) / the ideal 5 s; how late each token arrives
  against the ideal schedule (calibrated on each stream's earliest token), relay vs direct, whose
  difference at p99 is the delay the relay adds; frames per second per stream.
- cost: websocket bytes / the final HTML of the exchange (the question and the answer as the page
  finally shows them); the finished answer is fetched once over HTTP, which is reported apart;
  database writes per answer (counted by SQLite triggers on the message table); RSS per active
  stream (this process also holds the browsers' sockets).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anthropic

from playground.simulator.config import SimulatorConfig
from playground.simulator.process import RunningSimulator, start_simulator, stop_simulator

THROUGHPUT_TOKENS = 20_000
THROUGHPUT_REPEATS = 3
PACE_TOKENS = 500
PACE_SPEED = 100
PACE_STREAMS = (1, 100)
GOALS = {"throughput": 1.2, "pace 1": 1.05, "pace 100": 1.25, "bytes": 1.5}
MODEL = "deepseek-v4-flash"
_WORD = re.compile(r"\bw\d+\b")
_OPENING = 'hx-swap-oob="beforeend:#messages"'
_ANSWER_ID = re.compile(r'<article id="m-(\d+)" class="message message-assistant')


def words(count: int) -> str:
    return " ".join(f"w{n}" for n in range(count))


def prompt(count: int, speed: int | None) -> str:
    return f"[[echo]] {f'[[speed:{speed}]] ' if speed else ''}{words(count)}"


# --- the relay, as a browser sees it ----------------------------------------------------------


@dataclass
class RelayRun:
    sent_at: float = 0.0
    done_at: float = 0.0
    answer_id: int = 0
    socket_bytes: int = 0
    frames: int = 0  # frames of the answer between the opening and the last
    first_delta_at: float | None = None
    last_delta_at: float = 0.0
    token_times: list[float] = field(default_factory=list)  # arrival of token k, by k
    final_html_bytes: int = 0
    fetch_bytes: int = 0


class Browser:
    """A signed-in user's tab: the session cookie and the page's websocket."""

    def __init__(self, username: str) -> None:
        from django.contrib.auth.models import User
        from django.test import Client

        self.client = Client(HTTP_HOST="localhost")
        self.client.force_login(User.objects.create_user(username))

    def headers(self) -> list[tuple[bytes, bytes]]:
        cookie = f"sessionid={self.client.cookies['sessionid'].value}".encode()
        return [(b"origin", b"http://localhost"), (b"host", b"localhost"), (b"cookie", cookie)]

    async def ask(self, text: str) -> RelayRun:
        from asgiref.sync import sync_to_async
        from channels.testing import WebsocketCommunicator

        from playground.asgi import application

        socket = WebsocketCommunicator(application, "/ws/chat/", headers=self.headers())
        connected, _ = await socket.connect()
        assert connected, "the websocket was refused"
        run = RelayRun()
        data = {**_SETTINGS, "message": text, "HEADERS": {"HX-Request": "true"}}
        run.sent_at = time.perf_counter()
        await socket.send_to(text_data=json.dumps(data))
        while True:
            html = await socket.receive_from(timeout=120)
            now = time.perf_counter()
            run.socket_bytes += len(html.encode())
            if _OPENING in html:
                run.answer_id = int(_ANSWER_ID.search(html).group(1))
                continue
            if not run.answer_id:
                continue  # the reply to the send (errors emptied, a fresh Message box)
            if f'hx-get="/m/{run.answer_id}/"' in html:
                run.done_at = now
                break
            run.frames += 1
            arrived = len(_WORD.findall(html))
            if arrived:
                run.first_delta_at = run.first_delta_at or now
                run.last_delta_at = now
                run.token_times += [now] * arrived
        await socket.disconnect()
        page = await sync_to_async(self.client.get)(f"/m/{run.answer_id}/", HTTP_HX_REQUEST="true")
        assert page.status_code == 200, f"fetching the finished answer: {page.status_code}"
        run.fetch_bytes = len(page.content)
        run.final_html_bytes = run.fetch_bytes + await sync_to_async(_question_html_bytes)(
            run.answer_id
        )
        return run


_SETTINGS = {
    "provider": "simulator",
    "api_key": "",
    "model": MODEL,
    "system": "",
    "max_tokens": "32000",
    "temperature": "",
    "top_p": "",
    "top_k": "",
    "thinking": "disabled",
    "effort": "",
    "tools": "",
    "tool_choice": "auto",
    "tool_name": "",
    "conversation_id": "",
}


def _question_html_bytes(answer_id: int) -> int:
    from playground.conversations.models import Message
    from playground.conversations.presentation import message_context
    from playground.streaming.fragments import message_html

    question = Message.objects.get(pk=answer_id).parent
    return len(message_html({**message_context(question), "oob": False}).encode())


# --- the reference: the SDK straight from the Simulator -----------------------------------------


@dataclass
class DirectRun:
    seconds: float
    token_times: list[float]


def direct_sync(simulator: RunningSimulator, text: str) -> DirectRun:
    client = anthropic.Anthropic(
        base_url=simulator.base_url, api_key=simulator.api_key, max_retries=0
    )
    started = time.perf_counter()
    with client.messages.stream(
        model=MODEL,
        max_tokens=32000,
        thinking={"type": "disabled"},
        messages=[{"role": "user", "content": text}],
    ) as stream:
        for _ in stream:
            pass
        message = stream.get_final_message()
    seconds = time.perf_counter() - started
    assert message.content[0].text == text.split("]] ")[-1], "the SDK got another answer"
    return DirectRun(seconds=seconds, token_times=[])


async def direct_async(client: anthropic.AsyncAnthropic, text: str) -> DirectRun:
    times: list[float] = []
    started = time.perf_counter()
    async with client.messages.stream(
        model=MODEL,
        max_tokens=32000,
        thinking={"type": "disabled"},
        messages=[{"role": "user", "content": text}],
    ) as stream:
        async for event in stream:
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                now = time.perf_counter()
                times += [now] * len(_WORD.findall(event.delta.text))
    return DirectRun(seconds=time.perf_counter() - started, token_times=times)


# --- measures -----------------------------------------------------------------------------------


def lateness_ms(token_times: list[float], speed: int) -> list[float]:
    """How late each token arrived against the ideal pace, in ms, taking the stream's earliest
    token (relative to its schedule) as on time."""
    if not token_times:
        return []
    offsets = [t - k / speed for k, t in enumerate(token_times)]
    on_time = min(offsets)
    return [(o - on_time) * 1000 for o in offsets]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def rss_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def message_writes(answer_ids: list[int]) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        counts = []
        for answer_id in answer_ids:
            cursor.execute("SELECT count(*) FROM bench_message_writes WHERE id = %s", [answer_id])
            counts.append(cursor.fetchone()[0])
    return counts


def verdict(value: float, goal: float) -> str:
    return f"goal <= {goal:g}: {'met' if value <= goal else 'MISSED'}"


# --- the runs -----------------------------------------------------------------------------------


async def throughput(simulator: RunningSimulator, browser: Browser, out: Any) -> RelayRun:
    text = prompt(THROUGHPUT_TOKENS, None)
    await asyncio.to_thread(direct_sync, simulator, text)  # warm both sides up
    await browser.ask(text)
    direct_best = relay_best = float("inf")
    best: RelayRun | None = None
    for _ in range(THROUGHPUT_REPEATS):
        direct = await asyncio.to_thread(direct_sync, simulator, text)
        direct_best = min(direct_best, direct.seconds)
        run = await browser.ask(text)
        if run.done_at - run.sent_at < relay_best:
            relay_best, best = run.done_at - run.sent_at, run
    assert best is not None
    ratio = relay_best / direct_best
    out.write(
        f"throughput: {THROUGHPUT_TOKENS:,} tokens at full Simulator speed, best of "
        f"{THROUGHPUT_REPEATS}\n"
        f"  direct (SDK messages.stream)      {direct_best * 1e3:8.0f} ms  "
        f"{THROUGHPUT_TOKENS / direct_best:>9,.0f} tokens/s\n"
        f"  relay (Send to last frame)        {relay_best * 1e3:8.0f} ms  "
        f"{THROUGHPUT_TOKENS / relay_best:>9,.0f} tokens/s  {best.frames} frames\n"
        f"  relay / direct: {ratio:.2f} ({verdict(ratio, GOALS['throughput'])})\n"
    )
    out.flush()
    return best


async def pace_relay(browsers: list[Browser], samples: list[int]) -> list[RelayRun]:
    async def sample_rss() -> None:
        await asyncio.sleep(PACE_TOKENS / PACE_SPEED / 2)
        samples.append(rss_bytes())

    text = prompt(PACE_TOKENS, PACE_SPEED)
    sampler = asyncio.create_task(sample_rss())
    runs = await asyncio.gather(*(browser.ask(text) for browser in browsers))
    await sampler
    return list(runs)


async def pace_direct(simulator: RunningSimulator, streams: int) -> list[DirectRun]:
    async with anthropic.AsyncAnthropic(
        base_url=simulator.base_url, api_key=simulator.api_key, max_retries=0
    ) as client:
        text = prompt(PACE_TOKENS, PACE_SPEED)
        return list(await asyncio.gather(*(direct_async(client, text) for _ in range(streams))))


async def pace(
    simulator: RunningSimulator, browsers: list[Browser], out: Any
) -> dict[int, list[RelayRun]]:
    ideal = PACE_TOKENS / PACE_SPEED
    everything: dict[int, list[RelayRun]] = {}
    for streams in PACE_STREAMS:
        direct = await pace_direct(simulator, streams)
        before = rss_bytes()
        samples: list[int] = []
        runs = await pace_relay(browsers[:streams], samples)
        everything[streams] = runs
        completion = [(r.done_at - r.sent_at) for r in runs]
        streaming = [(r.last_delta_at - r.first_delta_at) for r in runs]
        relay_late = [x for r in runs for x in lateness_ms(r.token_times, PACE_SPEED)]
        direct_late = [x for d in direct for x in lateness_ms(d.token_times, PACE_SPEED)]
        frames_per_second = [r.frames / (r.done_at - r.first_delta_at) for r in runs]
        first_token = [(r.first_delta_at - r.sent_at) * 1000 for r in runs]
        worst = max(completion) / ideal
        goal = GOALS[f"pace {streams}"]
        out.write(
            f"pace: {PACE_TOKENS} tokens at {PACE_SPEED} tokens/s, {streams} concurrent "
            f"stream{'s' if streams > 1 else ''}\n"
            f"  completion (Send to last frame) / ideal {ideal:g} s: worst "
            f"{worst:.3f}, mean {statistics.mean(completion) / ideal:.3f} "
            f"({verdict(worst, goal)})\n"
            f"  first token to last / ideal: worst {max(streaming) / ideal:.3f}; direct (SDK) "
            f"request to final, worst {max(d.seconds for d in direct) / ideal:.3f}\n"
            f"  Send to first token: p50 {percentile(first_token, 0.5):.0f} ms, max "
            f"{max(first_token):.0f} ms (sends are validated and stored one at a time)\n"
            f"  token lateness against the ideal pace, p50 / p99 / max: relay "
            f"{percentile(relay_late, 0.5):.0f} / {percentile(relay_late, 0.99):.0f} / "
            f"{max(relay_late):.0f} ms; direct {percentile(direct_late, 0.5):.0f} / "
            f"{percentile(direct_late, 0.99):.0f} / {max(direct_late):.0f} ms\n"
            f"  p99 added delta latency (relay p99 - direct p99): "
            f"{percentile(relay_late, 0.99) - percentile(direct_late, 0.99):.0f} ms\n"
            f"  frames per second per stream: mean {statistics.mean(frames_per_second):.1f}, "
            f"max {max(frames_per_second):.1f}\n"
        )
        if streams > 1 and samples:
            out.write(
                f"  RSS per active stream: {(samples[0] - before) / streams / 1024:.0f} KiB "
                f"(RSS {before / 2**20:.0f} MiB before, {samples[0] / 2**20:.0f} MiB with "
                f"{streams} streaming; browsers' sockets included)\n"
            )
        out.flush()
    return everything


def cost(label: str, runs: list[RelayRun], out: Any) -> None:
    socket_bytes = sum(r.socket_bytes for r in runs)
    final_bytes = sum(r.final_html_bytes for r in runs)
    fetch_bytes = sum(r.fetch_bytes for r in runs)
    writes = message_writes([r.answer_id for r in runs])
    ratio = socket_bytes / final_bytes
    out.write(
        f"cost, {label}: websocket {socket_bytes / len(runs):,.0f} B per answer / final HTML "
        f"{final_bytes / len(runs):,.0f} B = {ratio:.2f} ({verdict(ratio, GOALS['bytes'])}); "
        f"plus the finished answer fetched once over HTTP: {fetch_bytes / len(runs):,.0f} B "
        f"(not counted in the ratio; with it {(socket_bytes + fetch_bytes) / final_bytes:.2f}); "
        f"database writes to the answer's row: {statistics.mean(writes):.1f} per answer "
        f"(max {max(writes)})\n"
    )


# --- set-up -------------------------------------------------------------------------------------


def set_up_django(data_dir: str, simulator: RunningSimulator) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "playground.settings"
    os.environ["PLAYGROUND_DATA_DIR"] = data_dir
    os.environ["PLAYGROUND_SIMULATOR_BASE_URL"] = simulator.base_url
    os.environ.setdefault("PLAYGROUND_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if settings.PLAYGROUND_SIMULATOR_BASE_URL != simulator.base_url:
        raise RuntimeError("Django was set up before this benchmark; run it in its own process")
    call_command("migrate", verbosity=0)
    from playground.conversations.models import Message

    table = Message._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_message_writes (id INT)")
        for kind in ("INSERT", "UPDATE"):
            cursor.execute(
                f"CREATE TRIGGER bench_count_{kind.lower()} AFTER {kind} ON {table} "  # noqa: S608
                "BEGIN INSERT INTO bench_message_writes VALUES (NEW.id); END"
            )


async def measure(
    simulator: RunningSimulator, browsers: list[Browser], out: Any
) -> tuple[RelayRun, dict[int, list[RelayRun]]]:
    big = await throughput(simulator, browsers[-1], out)
    return big, await pace(simulator, browsers, out)


def main() -> None:
    out = sys.stdout
    config = SimulatorConfig(tokens_per_second=0, first_byte_delay=0)
    with tempfile.TemporaryDirectory(prefix="relay-bench-") as data_dir:
        os.environ["PLAYGROUND_DATA_DIR"] = data_dir
        simulator = start_simulator(config=config, log_path=Path(data_dir) / "simulator.log")
        try:
            set_up_django(data_dir, simulator)
            out.write(
                "app in this process (WebsocketCommunicator on playground.asgi.application, "
                "in-memory channel layer, SQLite); Simulator in a subprocess at full speed\n"
            )
            out.flush()
            browsers = [Browser(f"bench-{n}") for n in range(max(PACE_STREAMS) + 1)]
            big, runs = asyncio.run(measure(simulator, browsers, out))
            cost(f"the {THROUGHPUT_TOKENS:,}-token answer at full speed", [big], out)
            for streams, paced in runs.items():
                cost(
                    f"{PACE_TOKENS} tokens at {PACE_SPEED} tokens/s, {streams} stream(s)",
                    paced,
                    out,
                )
        finally:
            stop_simulator(simulator.process)


if __name__ == "__main__":
    main()
