"""The relay: throughput, pace and cost of an answer streamed through Playground, against the SDK.

Two architectures, each figure named with its own:

- served (the realistic one, on which the goals are judged): the app under Daphne in a
  subprocess (in-memory channel layer, a temporary SQLite database), the browsers in this process
  over real websockets on loopback, signed in through the sign-in page (``_relay_served``);
- in-process (for comparison, 100-stream pace and its cost only): the app in this process, driven
  by Channels' ``WebsocketCommunicator``, so that app, browsers and the SDK share one interpreter
  and one core (``_relay_inprocess``).

Both use the Simulator standalone in a subprocess at full speed (no first-byte delay), and the
``anthropic`` SDK streaming the same answers directly from it as the reference. Every answer is
the Simulator's ``[[echo]]`` of distinct words ("w0 w1 …", one token each), so both sides get
the same bytes and the browser can tell which token each frame brought.

- throughput: a 20,000-token answer as fast as the Simulator sends it; relay time (Send to the
  last frame) / the SDK's time (request to final message), best of a few alternating runs.
- pace: 500 tokens at 100 tokens/s with 1 and with 100 concurrent streams (100 users whose pages
  are open, their sockets connected, who then press Send at once); completion time (Send to last
  frame) / the ideal 5 s; how late each token arrives against the ideal schedule (calibrated on
  each stream's earliest token), relay vs direct, whose difference at p99 is the delay the relay
  adds; frames per second per stream.
- cost: websocket bytes on the wire / the final HTML of the exchange (the question and the answer
  as the page finally shows them). The served app compresses websocket messages (permessage-
  deflate, as browsers ask); the client counts the frames' bytes as they come off the socket, and
  the uncompressed payloads are printed beside them. The finished answer is fetched once over
  HTTP, which is reported apart; database writes per answer (counted by SQLite triggers on the
  message table); RSS per active stream.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anthropic

from playground.processes import process_stop
from playground.simulator.config import SimulatorConfig
from playground.simulator.process import RunningSimulator, start_simulator
from tests.bench import _relay_inprocess, _relay_served
from tests.bench._relay_common import (
    GOALS,
    PACE_SPEED,
    PACE_STREAMS,
    PACE_TOKENS,
    THROUGHPUT_REPEATS,
    THROUGHPUT_TOKENS,
    App,
    Browser,
    DirectRun,
    RelayRun,
    direct_async,
    direct_sync,
    lateness_ms,
    percentile,
    prompt,
    verdict,
)

USERS = [f"bench-{n}" for n in range(max(PACE_STREAMS) + 1)]


async def throughput(simulator: RunningSimulator, app: App, browser: Browser, out: Any) -> RelayRun:
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
        f"throughput [{app.name}]: {THROUGHPUT_TOKENS:,} tokens at full Simulator speed, best "
        f"of {THROUGHPUT_REPEATS}\n"
        f"  direct (SDK messages.stream)      {direct_best * 1e3:8.0f} ms  "
        f"{THROUGHPUT_TOKENS / direct_best:>9,.0f} tokens/s\n"
        f"  relay (Send to last frame)        {relay_best * 1e3:8.0f} ms  "
        f"{THROUGHPUT_TOKENS / relay_best:>9,.0f} tokens/s  {best.frames} frames\n"
        f"  relay / direct: {ratio:.2f} ({verdict(ratio, GOALS['throughput'])})\n"
    )
    out.flush()
    return best


async def pace_relay(app: App, browsers: list[Browser], samples: list[int]) -> list[RelayRun]:
    async def sample_rss() -> None:
        await asyncio.sleep(PACE_TOKENS / PACE_SPEED / 2)
        samples.append(app.rss_bytes())

    text = prompt(PACE_TOKENS, PACE_SPEED)
    sampler = asyncio.create_task(sample_rss())
    together = asyncio.Barrier(len(browsers))
    runs = await asyncio.gather(*(browser.ask(text, together=together) for browser in browsers))
    await sampler
    return list(runs)


async def pace_direct(simulator: RunningSimulator, streams: int) -> list[DirectRun]:
    async with anthropic.AsyncAnthropic(
        base_url=simulator.base_url, api_key=simulator.api_key, max_retries=0
    ) as client:
        text = prompt(PACE_TOKENS, PACE_SPEED)
        return list(await asyncio.gather(*(direct_async(client, text) for _ in range(streams))))


async def pace(
    simulator: RunningSimulator, app: App, browsers: list[Browser], streams: int, out: Any
) -> list[RelayRun]:
    ideal = PACE_TOKENS / PACE_SPEED
    direct = await pace_direct(simulator, streams)
    before = app.rss_bytes()
    samples: list[int] = []
    runs = await pace_relay(app, browsers[:streams], samples)
    completion = [(r.done_at - r.sent_at) for r in runs]
    streaming = [(r.last_delta_at - r.first_delta_at) for r in runs]
    relay_late = [x for r in runs for x in lateness_ms(r.token_times, PACE_SPEED)]
    direct_late = [x for d in direct for x in lateness_ms(d.token_times, PACE_SPEED)]
    frames_per_second = [r.frames / (r.done_at - r.first_delta_at) for r in runs]
    first_token = [(r.first_delta_at - r.sent_at) * 1000 for r in runs]
    worst = max(completion) / ideal
    goal = GOALS[f"pace {streams}"]
    out.write(
        f"pace [{app.name}]: {PACE_TOKENS} tokens at {PACE_SPEED} tokens/s, {streams} concurrent "
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
            f"{streams} streaming; {app.rss_covers})\n"
        )
    out.flush()
    return runs


async def measure(
    simulator: RunningSimulator,
    app: App,
    browsers: list[Browser],
    out: Any,
    *,
    with_throughput: bool,
    pace_streams: tuple[int, ...],
) -> dict[str, list[RelayRun]]:
    """Every run, by what the cost report calls it."""
    measured = {}
    if with_throughput:
        label = f"the {THROUGHPUT_TOKENS:,}-token answer at full speed"
        measured[label] = [await throughput(simulator, app, browsers[-1], out)]
    for streams in pace_streams:
        label = f"{PACE_TOKENS} tokens at {PACE_SPEED} tokens/s, {streams} stream(s)"
        measured[label] = await pace(simulator, app, browsers, streams, out)
    return measured


def cost(app: App, measured: dict[str, list[RelayRun]], out: Any) -> None:
    stored = app.stored([r.answer_id for runs in measured.values() for r in runs])
    for label, runs in measured.items():
        socket_bytes = sum(r.socket_bytes for r in runs)
        fetch_bytes = sum(r.fetch_bytes for r in runs)
        final_bytes = fetch_bytes + sum(stored[r.answer_id].question_html_bytes for r in runs)
        writes = [stored[r.answer_id].writes for r in runs]
        payload_ratio = socket_bytes / final_bytes
        if all(r.wire_bytes is not None for r in runs):
            wire_bytes = sum(r.wire_bytes or 0 for r in runs)
            ratio = wire_bytes / final_bytes
            bytes_figure = (
                f"websocket on the wire (permessage-deflate) {wire_bytes / len(runs):,.0f} B per "
                f"answer / final HTML {final_bytes / len(runs):,.0f} B = {ratio:.2f} "
                f"({verdict(ratio, GOALS['bytes'])}); uncompressed payloads "
                f"{socket_bytes / len(runs):,.0f} B = {payload_ratio:.2f}"
            )
        else:
            bytes_figure = (
                f"websocket payloads (uncompressed: no wire in-process) "
                f"{socket_bytes / len(runs):,.0f} B per answer / final HTML "
                f"{final_bytes / len(runs):,.0f} B = {payload_ratio:.2f}"
            )
        out.write(
            f"cost [{app.name}], {label}: {bytes_figure}; plus the finished answer fetched once "
            f"over HTTP: {fetch_bytes / len(runs):,.0f} B (not counted in the ratio; with it "
            f"{(socket_bytes + fetch_bytes) / final_bytes:.2f} uncompressed); database writes to "
            f"the answer's row: {statistics.mean(writes):.1f} per answer (max {max(writes)})\n"
        )
    out.flush()


def served(simulator: RunningSimulator, data_dir: Path, out: Any) -> None:
    app = _relay_served.ServedApp(data_dir=data_dir, simulator=simulator)
    app.prepare(usernames=USERS)
    app.start()
    try:

        async def run() -> dict[str, list[RelayRun]]:
            started = time.perf_counter()
            async with _relay_served.signed_in_browsers(
                base_url=app.base_url, usernames=USERS
            ) as browsers:
                out.write(
                    f"  ({len(USERS)} users signed in through the sign-in page in "
                    f"{time.perf_counter() - started:.0f} s)\n"
                )
                return await measure(
                    simulator, app, browsers, out, with_throughput=True, pace_streams=PACE_STREAMS
                )

        out.write(f"[served, on which the goals are judged] {_relay_served.DESCRIPTION}\n")
        out.flush()
        cost(app, asyncio.run(run()), out)
    finally:
        app.stop()


def in_process(simulator: RunningSimulator, data_dir: Path, out: Any) -> None:
    """Only the most concurrent pace: what the architecture changes (the rest is as served)."""
    _relay_inprocess.set_up_django(str(data_dir), simulator)
    out.write(f"[in-process, for comparison] {_relay_inprocess.DESCRIPTION}\n")
    out.flush()
    app = _relay_inprocess.InProcessApp()
    streams = max(PACE_STREAMS)
    browsers = [_relay_inprocess.InProcessBrowser(name) for name in USERS[:streams]]
    measured = measure(
        simulator, app, browsers, out, with_throughput=False, pace_streams=(streams,)
    )
    cost(app, asyncio.run(measured), out)


def main() -> None:
    out = sys.stdout
    config = SimulatorConfig(tokens_per_second=0, first_byte_delay=0)
    with tempfile.TemporaryDirectory(prefix="relay-bench-") as temporary:
        root = Path(temporary)
        for part in ("simulator", "served", "in-process"):
            (root / part).mkdir()
        # The Simulator's own settings keep their files there, not in the project's var/.
        os.environ["PLAYGROUND_DATA_DIR"] = str(root / "simulator")
        simulator = start_simulator(config=config, log_path=root / "simulator" / "simulator.log")
        try:
            served(simulator, root / "served", out)
            in_process(simulator, root / "in-process", out)
        finally:
            process_stop(simulator.process)


if __name__ == "__main__":
    main()
