"""The relay on a cluster: 100 concurrent answers across two Daphne processes (PostgreSQL, Redis).

The cluster is ``playground.cluster.local``'s (a temporary PostgreSQL and Redis on loopback, two
Daphne processes sharing them), its upstream a Simulator subprocess; 100 signed-in users in this
process, over real websockets, each send one question from a new chat, the first to process A,
the next to B, and so on, spread over a few seconds as people would. Every answer is the
Simulator's ``[[echo]]`` of 500 distinct words at 100 tokens/s, so each frame tells which tokens
it brought.

Printed: how late each token arrives against the ideal pace (calibrated on each stream's earliest
token), through the relay and straight from the Simulator with the SDK, and their difference at
p50 and p99 (the delay the relay adds); completion times; and the two processes' RSS growth per
active stream. Without PostgreSQL's programs, ``redis-server`` or the ``scale`` extras it prints
why it is skipped.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.typing import Origin

from playground.cluster.local import LocalCluster, free_ports
from playground.cluster.servers import ServerUnavailable
from playground.processes import process_stop
from playground.simulator.config import SimulatorConfig
from playground.simulator.process import RunningSimulator, start_simulator
from tests.bench._relay_common import (
    PACE_SPEED,
    PACE_TOKENS,
    RelayRun,
    lateness_ms,
    percentile,
    process_rss_bytes,
    prompt,
    send_data,
)
from tests.bench.relay import pace_direct
from tests.scale.served import signed_in

STREAMS = 100
SPREAD_SECONDS = 2.0  # the sends, one every 20 ms
CLUSTER_ENV = {"PLAYGROUND_LOG_LEVEL": "WARNING", "PLAYGROUND_DB_CONN_MAX_AGE": "60"}


async def ask(base_url: str, session_key: str, *, after: float) -> RelayRun:
    await asyncio.sleep(after)
    async with connect(
        base_url.replace("http://", "ws://", 1) + "/ws/chat/",
        origin=Origin(base_url),
        additional_headers={"Cookie": f"sessionid={session_key}"},
        max_size=None,
        open_timeout=60,
    ) as websocket:
        run = RelayRun()
        run.sent_at = time.perf_counter()
        await websocket.send(json.dumps(send_data(prompt(PACE_TOKENS, PACE_SPEED))))
        while not run.take(str(await asyncio.wait_for(websocket.recv(), 120)), time.perf_counter()):
            pass
    return run


async def relay(cluster: LocalCluster, keys: list[str]) -> tuple[list[RelayRun], int, int]:
    """The runs, and the processes' RSS before and halfway through."""
    pids = [process.pid for process in cluster.processes]
    before = sum(process_rss_bytes(pid) for pid in pids)
    halfway: list[int] = []

    async def sample() -> None:
        await asyncio.sleep(SPREAD_SECONDS + PACE_TOKENS / PACE_SPEED / 2)
        halfway.append(sum(process_rss_bytes(pid) for pid in pids))

    sampler = asyncio.create_task(sample())
    urls = [process.base_url for process in cluster.processes]
    runs = await asyncio.gather(
        *(
            ask(urls[n % len(urls)], key, after=n * SPREAD_SECONDS / STREAMS)
            for n, key in enumerate(keys)
        )
    )
    await sampler
    return list(runs), before, halfway[0]


def report(runs: list[RelayRun], direct, before: int, halfway: int, out) -> None:
    relay_late = [x for r in runs for x in lateness_ms(r.token_times, PACE_SPEED)]
    direct_late = [x for d in direct for x in lateness_ms(d.token_times, PACE_SPEED)]
    ideal = PACE_TOKENS / PACE_SPEED
    completion = [(r.done_at - r.sent_at) / ideal for r in runs]
    first_token = [(r.first_delta_at - r.sent_at) * 1000 for r in runs]
    added = {q: percentile(relay_late, q) - percentile(direct_late, q) for q in (0.5, 0.99)}
    out.write(
        f"cluster: {STREAMS} concurrent answers across 2 Daphne processes (PostgreSQL, Redis), "
        f"{PACE_TOKENS} tokens at {PACE_SPEED} tokens/s, sent over {SPREAD_SECONDS:g} s\n"
        f"  token lateness against the ideal pace, p50 / p99: relay "
        f"{percentile(relay_late, 0.5):.0f} / {percentile(relay_late, 0.99):.0f} ms; direct "
        f"(SDK) {percentile(direct_late, 0.5):.0f} / {percentile(direct_late, 0.99):.0f} ms\n"
        f"  delta latency added by the relay: p50 {added[0.5]:.0f} ms, p99 {added[0.99]:.0f} ms\n"
        f"  completion (Send to last frame) / ideal {ideal:g} s: mean "
        f"{statistics.mean(completion):.3f}, worst {max(completion):.3f}; Send to first token "
        f"p50 {percentile(first_token, 0.5):.0f} ms, max {max(first_token):.0f} ms\n"
        f"  RSS per active stream: {(halfway - before) / STREAMS / 1024:.0f} KiB (both "
        f"processes: {before / 2**20:.0f} MiB before, {halfway / 2**20:.0f} MiB with {STREAMS} "
        "streaming)\n"
    )
    out.flush()


def main() -> None:
    out = sys.stdout
    missing = [m for m in ("psycopg", "channels_redis") if importlib.util.find_spec(m) is None]
    if missing:
        out.write(f"skipped: {', '.join(missing)} not installed (pip install -e '.[scale]')\n")
        return
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as scratch:
        data_dir = Path(scratch)
        simulator: RunningSimulator = start_simulator(
            config=SimulatorConfig(first_byte_delay=0), log_path=data_dir / "simulator.log"
        )
        cluster = LocalCluster(
            data_dir=data_dir / "cluster",
            ports=free_ports(2),
            fast=True,
            env={**CLUSTER_ENV, "PLAYGROUND_SIMULATOR_BASE_URL": simulator.base_url},
        )
        try:
            try:
                cluster.start()
            except ServerUnavailable as unavailable:
                out.write(f"skipped: {unavailable}\n")
                return
            keys = list(signed_in(cluster, [f"bench{n}" for n in range(STREAMS)]).values())
            direct = asyncio.run(pace_direct(simulator, STREAMS))
            runs, before, halfway = asyncio.run(relay(cluster, keys))
            report(runs, direct, before, halfway, out)
        finally:
            cluster.stop()
            process_stop(simulator.process)
