"""Running the standalone Simulator (``manage.py simulator``) as a subprocess on a free loopback
port, for the test suite and the benchmarks: start it, learn its URL, stop it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, fields
from pathlib import Path

import httpx

from playground.processes import die_with_parent, process_stop
from playground.simulator.config import SimulatorConfig

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
_LISTENING = re.compile(r"Simulator listening on (http://\S+)")


@dataclass(frozen=True)
class RunningSimulator:
    """A Simulator subprocess: ``base_url`` is what SDKs take (they append ``/v1/messages``)."""

    base_url: str
    config: SimulatorConfig
    process: subprocess.Popen[bytes]
    log_path: Path
    api_key: str = "sim-test"

    @property
    def messages_url(self) -> str:
        return f"{self.base_url}/v1/messages"


def simulator_command(*, config: SimulatorConfig, port: int = 0) -> list[str]:
    """The command line serving ``config`` (every field but the in-memory ``fault_memory``)."""
    command = [sys.executable, "manage.py", "simulator", "--port", str(port)]
    for field in fields(SimulatorConfig):
        if field.name != "fault_memory":
            command += ["--" + field.name.replace("_", "-"), str(getattr(config, field.name))]
    return command


def start_simulator(
    *, config: SimulatorConfig, log_path: Path, timeout: float = 60
) -> RunningSimulator:
    """Start the command, wait until it answers, and return it; raise with its log if it fails."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603  (our own command line, no shell)
            simulator_command(config=config),
            cwd=PROJECT_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            preexec_fn=die_with_parent if sys.platform == "linux" else None,
        )
    deadline = time.monotonic() + timeout
    try:
        base_url = _wait_for_listening(process, log_path, deadline=deadline)
        _wait_until_answering(base_url, deadline=deadline)
    except RuntimeError:
        process_stop(process)
        raise
    return RunningSimulator(base_url=base_url, config=config, process=process, log_path=log_path)


def _wait_for_listening(
    process: subprocess.Popen[bytes], log_path: Path, *, deadline: float
) -> str:
    while time.monotonic() < deadline and process.poll() is None:
        if match := _LISTENING.search(log_path.read_text(errors="replace")):
            return match.group(1)
        time.sleep(0.05)
    raise RuntimeError(f"the Simulator did not start:\n{log_path.read_text(errors='replace')}")


def _wait_until_answering(base_url: str, *, deadline: float) -> None:
    # Listening is not answering: wait for a real reply (405 to a GET).
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/v1/messages", timeout=5).status_code == 405:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the Simulator at {base_url} listens but does not answer")
