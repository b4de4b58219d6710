"""Fixtures shared by the whole suite.

``simulator``: the standalone Simulator (``manage.py simulator``) running in a subprocess on a free
loopback port for the whole session, with fast timings; upstream calls in tests go there over real
HTTP. It has ``.base_url`` (for SDKs: they append ``/v1/messages``), ``.messages_url``,
``.api_key`` (any key starting with ``sim-`` works) and ``.config``.

``alice`` and ``bob`` (and their signed-in test clients): alice owns things, bob must never reach
them. Passwords hash with MD5 in tests, which keeps sign-ups and sign-ins fast.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client

from playground.processes import process_stop
from playground.simulator.config import SimulatorConfig
from playground.simulator.process import RunningSimulator, start_simulator

PASSWORD = "correct horse battery staple 42"

SIMULATOR_TEST_CONFIG = SimulatorConfig(
    tokens_per_second=5000,
    first_byte_delay=0,
    slow_first_byte_seconds=0.5,
    queue_seconds=0.5,
    keepalive_interval=0.1,
    retry_after_seconds=1,
)


@pytest.fixture(scope="session")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSimulator]:
    log_path = tmp_path_factory.mktemp("simulator") / "simulator.log"
    running = start_simulator(config=SIMULATOR_TEST_CONFIG, log_path=log_path)
    try:
        yield running
    finally:
        process_stop(running.process)


@pytest.fixture(autouse=True)
def _sync_thread_connections_closed() -> Iterator[None]:
    """After each test, close the database connections of the thread that async tests' sync
    calls share (``sync_to_async`` outside any ``async_to_sync``). The test client keeps its
    requests' connections open, so one left there outlived the suite and PostgreSQL refused to
    drop the test database ("being accessed by other users"). From a thread of its own: a
    Playwright test's event loop may be running in this one."""
    yield
    closing = threading.Thread(target=asyncio.run, args=(sync_to_async(connections.close_all)(),))
    closing.start()
    closing.join()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def bob(db: None) -> User:
    return User.objects.create_user("bob", password=PASSWORD)


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob: User) -> Client:
    client = Client()
    client.force_login(bob)
    return client
