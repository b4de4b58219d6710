"""What a serving process does besides serving, for as long as it runs (see ``apps``):

- at its start, the answers its previous life (a process of the same name) left streaming are
  marked interrupted, with what they had saved, and their viewers are told;
- every ``PLAYGROUND_HEARTBEAT_SECONDS``, the answers no process has saved for
  ``PLAYGROUND_STALE_AFTER_SECONDS`` (their process went away) are marked interrupted likewise;
- it listens on its process's channel-layer group for Stop pressed in other processes.

A failure of one round (the database or Redis briefly away) is logged and the next round runs.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings

from playground.cluster.identity import process_group, process_name
from playground.cluster.stopping import STOP_EVENT
from playground.streaming.runner import generation_stop, running_ids
from playground.streaming.store import aorphans_interrupt, astale_sweep
from playground.streaming.watching import broadcast_refresh

logger = logging.getLogger("playground.cluster")

GROUP_RENEWAL_SECONDS = 3600.0

_tasks: set[asyncio.Task[None]] = set()  # strong references for the life of the process


def duties_start() -> None:
    """Start the duties on the running loop (called once, by Twisted, when Daphne runs)."""
    task = asyncio.get_running_loop().create_task(_duties())
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def _duties() -> None:
    name = process_name()
    layer = get_channel_layer()
    channel = await layer.new_channel()
    listener = asyncio.create_task(_listen_for_stops(layer, channel))
    _tasks.add(listener)
    logger.info("process %r: recovering, then sweeping for stale answers", name)
    await _recover(name)
    joined_at = float("-inf")
    while True:
        loop = asyncio.get_running_loop()
        try:
            # Redis forgets a group membership after a day (group_expiry): renew it hourly.
            if loop.time() - joined_at > GROUP_RENEWAL_SECONDS:
                await layer.group_add(process_group(name), channel)
                joined_at = loop.time()
            await _tell_viewers(await astale_sweep(running=running_ids()))
        except Exception:
            logger.exception("the sweep for stale answers failed")
        await asyncio.sleep(settings.PLAYGROUND_HEARTBEAT_SECONDS)


async def _recover(name: str) -> None:
    while True:
        try:
            orphans = await aorphans_interrupt(runner=name, running=running_ids())
            await _tell_viewers(orphans)
        except Exception:
            logger.exception("recovering the answers of the previous %r failed; retrying", name)
            await asyncio.sleep(settings.PLAYGROUND_HEARTBEAT_SECONDS)
            continue
        if orphans:
            logger.warning("%d answer(s) left streaming by %r: interrupted", len(orphans), name)
        return


async def _tell_viewers(interrupted: list[tuple[int, int]]) -> None:
    for message_id, conversation_id in interrupted:
        await broadcast_refresh(conversation_id=conversation_id, message_id=message_id)


async def _listen_for_stops(layer: Any, channel: str) -> None:
    while True:
        try:
            message: dict[str, Any] = await layer.receive(channel)
        except Exception:
            logger.exception("listening for Stop from other processes failed; retrying")
            await asyncio.sleep(settings.PLAYGROUND_HEARTBEAT_SECONDS)
            continue
        if message.get("type") == STOP_EVENT and isinstance(message.get("message_id"), int):
            generation_stop(message["message_id"])
