"""Stop pressed in one process for an answer whose generation runs in another.

The socket sends ``generation.stop`` to the group of the process the answer names as its runner
(``identity.process_group``); that process's duties stop the generation at once, which then ends
as a Stop in the same process does: what arrived saved, the last frame to every viewer. If that
process is gone, or the answer names none or this one (whose generation is no longer here), the
database is the fallback: the answer is marked stopped, at once or after ``STOP_GRACE_SECONDS``
without an answer, and its viewers are told.
"""

from __future__ import annotations

import asyncio

from channels.layers import get_channel_layer

from playground.cluster.identity import process_group, process_name
from playground.streaming.store import answer_mark_stopped, streaming_runner
from playground.streaming.watching import broadcast_refresh

STOP_EVENT = "generation.stop"
STOP_GRACE_SECONDS = 3.0

_fallbacks: set[asyncio.Task[None]] = set()  # strong references until they finish


async def answer_stop_elsewhere(*, message_id: int, conversation_id: int) -> None:
    """Stop an answer of this conversation that no generation of this process writes."""
    runner = await streaming_runner(message_id=message_id, conversation_id=conversation_id)
    if runner is None:
        return  # it has already ended
    if not runner or runner == process_name():
        await _stop_in_database(message_id=message_id, conversation_id=conversation_id)
        return
    await get_channel_layer().group_send(
        process_group(runner), {"type": STOP_EVENT, "message_id": message_id}
    )
    fallback = asyncio.create_task(
        _stop_in_database(
            message_id=message_id, conversation_id=conversation_id, after=STOP_GRACE_SECONDS
        )
    )
    _fallbacks.add(fallback)
    fallback.add_done_callback(_fallbacks.discard)


async def _stop_in_database(*, message_id: int, conversation_id: int, after: float = 0) -> None:
    if after:
        await asyncio.sleep(after)
    if await answer_mark_stopped(message_id=message_id, conversation_id=conversation_id):
        await broadcast_refresh(conversation_id=conversation_id, message_id=message_id)
