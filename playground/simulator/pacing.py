"""Pacing a stream at a number of tokens per second without blocking the event loop.

Deltas are due at absolute times from the start, so sleeps that come late are caught up. Waits
shorter than ``GRANULARITY`` are not slept: at very high speeds tokens are sent in batches of
about that much time, which keeps benchmarks from measuring the Simulator's own sleeps.
"""

from __future__ import annotations

import time

GRANULARITY = 0.01


class Pacer:
    def __init__(self, *, tokens_per_second: float) -> None:
        self._seconds_per_token = 1 / tokens_per_second if tokens_per_second > 0 else 0.0
        self._started: float | None = None
        self._tokens = 0.0

    def wait_for(self, tokens: float) -> float:
        """Seconds to wait before ``tokens`` more tokens are due (zero or negative: due now)."""
        now = time.monotonic()
        if self._started is None:
            self._started = now
        self._tokens += tokens
        return self._started + self._tokens * self._seconds_per_token - now
