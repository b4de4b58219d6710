"""The Simulator's configuration: read from settings for ``make run``, checked on creation."""

from __future__ import annotations

import pytest

from playground.simulator.app import SimulatorApp
from playground.simulator.config import SimulatorConfig


def test_the_mounted_simulator_takes_its_timings_from_settings(settings):
    settings.PLAYGROUND_SIMULATOR_TOKENS_PER_SECOND = 123.0
    settings.PLAYGROUND_SIMULATOR_FIRST_BYTE_DELAY = 0.5
    settings.PLAYGROUND_SIMULATOR_SLOW_FIRST_BYTE_SECONDS = 7.0
    settings.PLAYGROUND_SIMULATOR_QUEUE_SECONDS = 8.0
    settings.PLAYGROUND_SIMULATOR_KEEPALIVE_INTERVAL = 0.25
    settings.PLAYGROUND_SIMULATOR_RETRY_AFTER_SECONDS = 9

    assert SimulatorApp.from_settings().config == SimulatorConfig(
        tokens_per_second=123.0,
        first_byte_delay=0.5,
        slow_first_byte_seconds=7.0,
        queue_seconds=8.0,
        keepalive_interval=0.25,
        retry_after_seconds=9,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_byte_delay", -1),
        ("slow_first_byte_seconds", -0.1),
        ("queue_seconds", -2),
        ("keepalive_interval", 0),
        ("retry_after_seconds", -1),
        ("fault_memory", 0),
    ],
)
def test_impossible_timings_are_refused_naming_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        SimulatorConfig(**{field: value})
