"""The Simulator's knobs: speed, delays and fault timings, in one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass

FLASH_MODEL = "deepseek-v4-flash"
PRO_MODEL = "deepseek-v4-pro"
MAX_TOKENS_LIMIT = 384_000


@dataclass(frozen=True, kw_only=True)
class SimulatorConfig:
    """How fast and how late the Simulator answers.

    ``tokens_per_second`` is flash's speed (pro runs at half of it); zero or less means as fast as
    the event loop allows. ``first_byte_delay`` is the latency before every answer's first byte.
    The ``[[fault:slow_first_byte]]`` and ``[[fault:queued]]`` directives use the other delays.
    """

    tokens_per_second: float = 60.0
    first_byte_delay: float = 0.2
    slow_first_byte_seconds: float = 5.0
    queue_seconds: float = 5.0
    keepalive_interval: float = 1.0
    retry_after_seconds: int = 2
    fault_memory: int = 4096

    def __post_init__(self) -> None:
        for name in ("first_byte_delay", "slow_first_byte_seconds", "queue_seconds"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.keepalive_interval <= 0:
            raise ValueError("keepalive_interval must be positive")
        if self.retry_after_seconds < 0:
            raise ValueError("retry_after_seconds must not be negative")
        if self.fault_memory < 1:
            raise ValueError("fault_memory must be at least 1")
