"""``make run-cluster``: the playground as a cluster on this machine, to try scale-out.

PostgreSQL (its data kept in ``var/cluster/postgres``), Redis, the migrations, two Daphne
processes (ports 8001 and 8002) sharing them, and a load balancer on http://127.0.0.1:8000/ that
sends each connection to the next process in turn. The Simulator is mounted in every process and
reached through the balancer. Ctrl+C stops everything.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from playground.cluster.balancer import balancer_serve
from playground.cluster.local import PROJECT_DIR, LocalCluster
from playground.cluster.servers import ServerUnavailable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playground.cluster", description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="the load balancer's port")
    parser.add_argument("--process-ports", type=int, nargs="+", default=[8001, 8002])
    parser.add_argument("--data-dir", type=Path, default=PROJECT_DIR / "var" / "cluster")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    public = f"http://127.0.0.1:{args.port}"
    cluster = LocalCluster(
        data_dir=args.data_dir,
        ports=args.process_ports,
        postgres_dir=args.data_dir / "postgres" / "data",
        env={"PLAYGROUND_SIMULATOR_BASE_URL": f"{public}/simulator"},
    )
    print("Starting PostgreSQL, Redis and the Daphne processes…", flush=True)
    try:
        cluster.start()
    except (ServerUnavailable, RuntimeError) as failure:
        print(f"The cluster could not start: {failure}", file=sys.stderr)
        return 1
    try:
        asyncio.run(_balance(cluster, port=args.port, public=public))
    finally:
        print("Stopping…", flush=True)
        cluster.stop()
    return 0


async def _balance(cluster: LocalCluster, *, port: int, public: str) -> None:
    assert cluster.postgres is not None and cluster.redis is not None
    backends = [("127.0.0.1", process.port) for process in cluster.processes]
    server = await balancer_serve(host="127.0.0.1", port=port, backends=backends)
    print(
        f"PostgreSQL  {cluster.postgres.url}  (data in {cluster.postgres.data_dir})\n"
        f"Redis       {cluster.redis.url}\n"
        + "".join(f"Daphne      {p.base_url}  (log {p.log_path})\n" for p in cluster.processes)
        + f"Playground  {public}/  (each connection to the next process)\nCtrl+C stops all.",
        flush=True,
    )
    # Ctrl+C (SIGINT) or SIGTERM ends the balancer, then the processes and servers stop.
    stopping = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stopping.set)
    async with server:
        await stopping.wait()


if __name__ == "__main__":
    sys.exit(main())
