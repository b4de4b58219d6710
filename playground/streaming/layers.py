"""The channel layer of a single-process server (no ``REDIS_URL``): Channels' in-memory layer,
with its clean-up of expired messages done at most once a second, and group sends delivered
without tasks.

The stock layer walks every channel queue and every group membership on each ``receive`` and
each ``group_send``, to drop messages nobody read within ``expiry`` (60 s). With a hundred
sockets streaming that walk runs thousands of times a second on the event loop (each frame is
a ``group_send`` and a ``receive`` per viewer) and costs as much as relaying the frames. Doing
it at most once a second drops the same messages, at most a second later.

The stock ``group_send`` puts the message in each member's queue from a task of its own and
waits for them all, so every frame cost a task per viewer and a turn of the event loop before
the generation could go on; on a busy loop each turn is long, and an answer's first frames and
its upstream request waited behind them. Putting a message in a queue never waits (a full
queue drops it, as before), so the members are served in place, in the same order.
"""

from __future__ import annotations

import time
from typing import Any

from channels.exceptions import ChannelFull
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

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, ())):
            try:
                await self.send(channel, message)  # never suspends: a queue put, or ChannelFull
            except ChannelFull:
                pass
