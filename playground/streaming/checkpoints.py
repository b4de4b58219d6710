"""The checkpoint writer: a process's streaming answers saved together, one database trip a batch.

All the database work of a process runs on one thread (``database_sync_to_async`` is
thread-sensitive), first come, first served. A trip per checkpoint would put about one job a
second per streaming answer in that queue, each a thread hop, a transaction and a commit, ahead of
the users' sends. So each event loop has one writer: the checkpoints asked for in the same loop
iteration, and all those asked for while its trip waits or runs, go together in its next trip,
one transaction (``store.checkpoints_write``, which applies each answer's rules as if it were
alone). A busy database thread thus sees at most one checkpoint job waiting, however many answers
stream; an idle one gets each checkpoint at once.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from playground.streaming.store import Checkpoint, acheckpoints_write

_Waiting = list[tuple[Checkpoint, asyncio.Future[bool]]]


async def checkpoint_save(*, message_id: int, content: list[dict[str, Any]], seq: int) -> bool:
    """Save the partial answer as of frame ``seq`` with the other answers' checkpoints; False if
    it is no longer streaming (stopped from another process, or its conversation deleted). Raises
    what kept this answer's checkpoint from being saved."""
    loop = asyncio.get_running_loop()
    writer = _writers.get(loop)
    if writer is None:
        writer = _writers[loop] = CheckpointWriter()
    return await writer.save(Checkpoint(message_id=message_id, content=content, seq=seq))


class CheckpointWriter:
    """Gathers checkpoints and writes them, a batch at a time, from one task of its event loop."""

    def __init__(self) -> None:
        self._waiting: _Waiting = []
        self._flusher: asyncio.Task[None] | None = None

    async def save(self, checkpoint: Checkpoint) -> bool:
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((checkpoint, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="checkpoint-writer")
        # A caller cancelled before its batch leaves is dropped from it; once its batch is on the
        # database thread, that trip completes regardless (as a lone write would).
        return await future

    async def _flush(self) -> None:
        batch: _Waiting = []
        try:
            while self._waiting:
                await asyncio.sleep(0)  # the checkpoints asked for in this iteration join in
                batch = [(c, future) for c, future in self._waiting if not future.done()]
                self._waiting = []
                if batch:
                    await _write(batch)
                batch = []
        except asyncio.CancelledError:
            # The loop is closing: no caller may wait for a trip that will never be made.
            for _, future in batch + self._waiting:
                future.cancel()
            self._waiting = []
            raise


async def _write(batch: _Waiting) -> None:
    try:
        outcomes = await acheckpoints_write(checkpoints=[checkpoint for checkpoint, _ in batch])
    except Exception as error:  # the trip itself failed (say, no connection): each caller is told
        outcomes = [error] * len(batch)
    for (_, future), outcome in zip(batch, outcomes, strict=True):
        if future.done():
            continue
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


# One writer per event loop: its futures and task belong to that loop.
_writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CheckpointWriter] = (
    weakref.WeakKeyDictionary()
)
