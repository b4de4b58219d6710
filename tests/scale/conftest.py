"""The cluster the scale-out tests run against, once per session: a real PostgreSQL and a real
Redis on loopback, migrated, and two Daphne processes (A and B) sharing them, their upstream the
session's Simulator. Heartbeats are fast here (1 s, stale after 4 s), so that recovery from a
killed process is seen in seconds.

Without PostgreSQL's programs, ``redis-server`` or the ``scale`` extras (psycopg,
channels-redis), these tests are skipped with the reason; ``.ci/run`` installs them all.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator, Iterator
from itertools import count

import pytest

from playground.cluster.local import LocalCluster, ServedProcess, free_ports
from playground.cluster.servers import ServerUnavailable
from tests.scale.served import ServedTab, signed_in

CLUSTER_ENV = {
    "PLAYGROUND_HEARTBEAT_SECONDS": "1",
    "PLAYGROUND_STALE_AFTER_SECONDS": "4",
    "PLAYGROUND_CHECKPOINT_SECONDS": "0.3",
    "PLAYGROUND_UPSTREAM_RETRIES": "1",
    "PLAYGROUND_LOG_LEVEL": "WARNING",
    "PLAYGROUND_DB_CONN_MAX_AGE": "60",
}
_names = count()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory, simulator) -> Iterator[LocalCluster]:
    missing = [m for m in ("psycopg", "channels_redis") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: pip install -e '.[scale]'")
    running = LocalCluster(
        data_dir=tmp_path_factory.mktemp("cluster"),
        ports=free_ports(2),
        fast=True,
        env={**CLUSTER_ENV, "PLAYGROUND_SIMULATOR_BASE_URL": simulator.base_url},
    )
    try:
        running.start()
    except ServerUnavailable as unavailable:
        pytest.skip(str(unavailable))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def process_a(cluster: LocalCluster) -> ServedProcess:
    return _running(cluster.processes[0])


@pytest.fixture
def process_b(cluster: LocalCluster) -> ServedProcess:
    return _running(cluster.processes[1])


def _running(process: ServedProcess) -> ServedProcess:
    # A test that killed a process leaves it started again, but one that failed half-way may not.
    if process.process is None or process.process.poll() is not None:
        process.start()
    return process


@pytest.fixture
def session_key(cluster: LocalCluster) -> str:
    """A new user of the cluster (each test its own: the per-user limit stays out of the way),
    signed in; their session key, valid on every process."""
    name = f"user{next(_names)}"
    return signed_in(cluster, [name])[name]


@pytest.fixture
async def tabs() -> AsyncIterator[list[ServedTab]]:
    """Tabs a test opens; closed after it."""
    opened: list[ServedTab] = []
    yield opened
    for tab in opened:
        await tab.close()


async def open_tab(
    tabs: list[ServedTab], process: ServedProcess, session_key: str, path: str = "/"
) -> ServedTab:
    tab = await ServedTab(base_url=process.base_url, session_key=session_key).open(path)
    tabs.append(tab)
    return tab
