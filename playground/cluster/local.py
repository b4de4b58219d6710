"""A whole cluster on loopback: PostgreSQL, Redis and several Daphne processes sharing them.

Used by ``make run-cluster`` (``python -m playground.cluster``), the scale-out tests and the
cluster benchmark. Every Daphne process gets the same environment (``DATABASE_URL``,
``REDIS_URL``, one data directory and so one secret key and one encryption key) plus its own
port; each is named by Daphne's address (see ``identity``), so a process started again on its
port is the same process to the playground.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from playground.cluster.servers import (
    RunningPostgres,
    RunningRedis,
    free_port,
    postgres_start,
    redis_start,
)
from playground.processes import die_with_parent, process_stop

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
APPLICATION = "playground.asgi:application"


@dataclass
class ServedProcess:
    """One Daphne process of the cluster; ``start`` again after ``stop`` or ``kill``."""

    port: int
    env: Mapping[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "playground.serve",  # Daphne, as make run serves
            "-b",
            "127.0.0.1",
            "-p",
            str(self.port),
            APPLICATION,
        ]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 60) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603  (our own command line, no shell)
                self.command,
                cwd=PROJECT_DIR,
                env=dict(self.env),
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent if sys.platform == "linux" else None,
            )
        # Daphne's "Listening" line is an INFO log the settings may silence: wait for a page.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.base_url}/accounts/login/", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Daphne did not start:\n{self.log_path.read_text(errors='replace')}")

    def stop(self) -> None:
        """SIGTERM, as an operator stops it (a grace period, then SIGKILL)."""
        if self.process is not None:
            process_stop(self.process)

    def kill(self) -> None:
        """SIGKILL: the process dies at once, with no chance to save anything."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


@dataclass
class LocalCluster:
    """PostgreSQL and Redis, migrated, and one Daphne per port in ``ports``.

    ``postgres_dir`` keeps the database there across runs (None: a temporary one); ``fast``
    trades the database's durability for speed (tests); ``env`` adds to every process's
    environment.
    """

    data_dir: Path
    ports: list[int]
    env: Mapping[str, str] = field(default_factory=dict)
    postgres_dir: Path | None = None
    fast: bool = False
    postgres: RunningPostgres | None = None
    redis: RunningRedis | None = None
    processes: list[ServedProcess] = field(default_factory=list)

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.postgres = postgres_start(data_dir=self.postgres_dir, fast=self.fast)
            self.redis = redis_start(log_path=self.data_dir / "redis.log")
            self.manage("migrate", "--noinput", "-v0")
            self.processes = [
                ServedProcess(
                    port=port, env=self.process_env, log_path=self.data_dir / f"daphne-{port}.log"
                )
                for port in self.ports
            ]
            for process in self.processes:
                process.start()
        except BaseException:
            self.stop()
            raise

    @property
    def process_env(self) -> dict[str, str]:
        assert self.postgres is not None and self.redis is not None
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "playground.settings",
            "PLAYGROUND_DATA_DIR": str(self.data_dir),
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }

    def manage(self, *args: str) -> str:
        """Run ``manage.py`` against the cluster's database; return what it printed."""
        done = subprocess.run(  # noqa: S603  (our own command line, no shell)
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.process_env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def stop(self) -> None:
        for process in self.processes:
            process.stop()
        if self.redis is not None:
            self.redis.stop()
            self.redis = None
        if self.postgres is not None:
            self.postgres.stop()
            self.postgres = None


def free_ports(count: int) -> list[int]:
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(free_port())
    return sorted(ports)
