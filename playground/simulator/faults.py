"""Which requests get their fault: all of them for ``[[fault:NAME]]``, only the first N sightings
of the exact same body for ``[[fault:NAME:N]]`` (so that retries can be tested)."""

from __future__ import annotations

import hashlib
from collections import OrderedDict


class FaultMemory:
    """Counts sightings per request body, forgetting the least recently seen past ``capacity``."""

    def __init__(self, *, capacity: int) -> None:
        self._capacity = capacity
        self._seen: OrderedDict[bytes, int] = OrderedDict()

    def should_fail(self, *, body: bytes, times: int | None) -> bool:
        if times is None:
            return True
        key = hashlib.sha256(body).digest()
        seen = self._seen.pop(key, 0) + 1
        self._seen[key] = seen
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return seen <= times
