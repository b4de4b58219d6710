"""``manage.py simulator`` serves on its own port, says so, and stops cleanly on a signal."""

from __future__ import annotations

import dataclasses
import signal
import subprocess
from urllib.parse import urlsplit

import httpx
import pytest

from playground.processes import process_stop
from playground.simulator.config import SimulatorConfig
from playground.simulator.process import (
    PROJECT_DIR,
    simulator_command,
    start_simulator,
)

QUICK = SimulatorConfig(tokens_per_second=0, first_byte_delay=0)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_command_answers_then_stops_cleanly_on_a_signal(tmp_path, sig):
    running = start_simulator(config=QUICK, log_path=tmp_path / "simulator.log")
    try:
        response = httpx.post(
            running.messages_url,
            headers={"x-api-key": running.api_key},
            json={
                "model": "deepseek-v4-flash",
                "max_tokens": 20,
                "thinking": {"type": "disabled"},
                "messages": [{"role": "user", "content": "[[echo]] hi"}],
            },
        )
    finally:
        returncode = process_stop(running.process, sig=sig)

    assert response.json()["content"] == [{"type": "text", "text": "hi"}]
    assert returncode == 0
    assert "Simulator stopped." in running.log_path.read_text()


@pytest.mark.parametrize(("chosen", "loop"), [(None, "uvloop"), ("asyncio", "asyncio")])
def test_the_simulator_runs_on_the_chosen_event_loop(tmp_path, monkeypatch, chosen, loop):
    # Django's setup imports Daphne's app, which installs a reactor on a plain asyncio loop
    # unless manage.py has installed ours first.
    if chosen is None:
        monkeypatch.delenv("PLAYGROUND_EVENT_LOOP", raising=False)
    else:
        monkeypatch.setenv("PLAYGROUND_EVENT_LOOP", chosen)
    running = start_simulator(config=QUICK, log_path=tmp_path / "simulator.log")
    process_stop(running.process)

    assert f"{running.base_url} (Daphne on {loop})" in running.log_path.read_text()


def test_a_port_already_in_use_is_a_clear_error(simulator):
    port = urlsplit(simulator.base_url).port
    command = simulator_command(config=simulator.config, port=port)

    result = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60)

    assert result.returncode == 1
    assert f"could not listen on 127.0.0.1:{port}" in result.stderr


def test_an_impossible_setting_is_refused_before_serving():
    command = simulator_command(config=dataclasses.replace(QUICK, keepalive_interval=1))
    command[command.index("--keepalive-interval") + 1] = "0"

    result = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60)

    assert result.returncode == 1
    assert "keepalive_interval must be positive" in result.stderr
