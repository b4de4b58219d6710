"""The channel layer of a single-process server (no ``REDIS_URL``): Channels' in-memory layer,
with its clean-up of expired messages done at most once a second.

The stock layer walks every channel queue and every group membership on each ``receive`` and
each ``group_send``, to drop messages nobody read within ``expiry`` (60 s). With a hundred
sockets streaming that walk runs thousands of times a second on the event loop (each frame is
a ``group_send`` and a ``receive`` per viewer) and costs as much as relaying the frames. Doing
it at most once a second drops the same messages, at most a second later.
"""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer

SWEEP_SECONDS = 1.0


class SweepingInMemoryChannelLayer(InMemoryChannelLayer):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._swept_at = float("-inf")

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept_at < SWEEP_SECONDS:
            return
        self._swept_at = now
        super()._clean_expired()
