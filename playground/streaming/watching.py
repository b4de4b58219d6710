"""Watching conversations from a socket: frames forwarded in order, resyncs, refreshes.

Every socket that shows live answers (the playground page, a compare page's lanes, a share page)
is a ``WatchingConsumer``: it joins the groups of the conversations it watches, sends a snapshot
of every answer still streaming (and the final state of any that just ended) once it has joined,
so that no frame falls between the two, and from then on forwards frames in order (see
``ordering``). A subclass decides who may watch what and what the browser may ask; this class
only shows.

A frame that arrives after a gap, or a ``stream.refresh`` event (an answer changed outside its
generation: stopped from another process, found stale), makes the socket resync that answer: from
its generation if it runs in this process, else from the database. A lost *last* frame leaves no
gap to see, so every heartbeat the socket also asks the database whether an answer it still shows
streaming has ended, and resyncs those that have.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings

from playground.conversations.models import Message
from playground.streaming import fragments
from playground.streaming.live import OPENING_SEQ
from playground.streaming.ordering import FrameOrder
from playground.streaming.runner import (
    FRAME_EVENT,
    Generation,
    conversation_group,
    generation_get,
    running_ids,
)
from playground.streaming.store import (
    StoredAnswer,
    aconversation_live_ids,
    astale_interrupt,
    astored_answer,
)

REFRESH_EVENT = "stream.refresh"


async def broadcast_refresh(*, conversation_id: int, message_id: int) -> None:
    """Tell every socket watching the conversation to show the answer as stored now."""
    await get_channel_layer().group_send(
        conversation_group(conversation_id), {"type": REFRESH_EVENT, "message_id": message_id}
    )


class WatchingConsumer(AsyncWebsocketConsumer):
    """Shows the live answers of the conversations in ``watched``; call ``start_watching`` once
    the socket is accepted, then ``watch`` for each conversation."""

    def start_watching(self) -> None:
        self.watched: set[int] = set()
        self.order = FrameOrder()
        self.resyncs: dict[int, asyncio.Task[None]] = {}
        # The last message the page showed when it was rendered (``?after=``); messages after
        # it were sent, from another tab, before this socket joined: they are added, not swapped.
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.shown_up_to = whole_number((query.get("after") or [None])[0])
        self.last_frame_at: dict[int, float] = {}  # loop time of each answer's latest frame
        self.watchdog = asyncio.create_task(self._watch_for_lost_endings())

    async def watch(self, conversation_id: int, *, catch_up: bool) -> None:
        """Join the conversation's group, then (``catch_up``) show every answer still streaming,
        or just ended, as it is now."""
        if conversation_id in self.watched:
            return
        self.watched.add(conversation_id)
        await self.channel_layer.group_add(conversation_group(conversation_id), self.channel_name)
        if catch_up:
            for message_id in await aconversation_live_ids(conversation_id=conversation_id):
                in_page = self.shown_up_to is None or message_id <= self.shown_up_to
                await self.resync(message_id, in_page=in_page)

    async def unwatch(self, conversation_id: int) -> None:
        if conversation_id in self.watched:
            self.watched.discard(conversation_id)
            await self.channel_layer.group_discard(
                conversation_group(conversation_id), self.channel_name
            )

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Frames are the hot path and touch no database (a resync they cause goes through
        # database_sync_to_async, which cleans connections itself): skip Channels' clean-up
        # before each handler, a hop to the one sync thread per frame and per viewer.
        if message["type"] == FRAME_EVENT:
            await self.stream_frame(message)
        else:
            await super().dispatch(message)

    async def disconnect(self, code: int) -> None:
        if (watchdog := getattr(self, "watchdog", None)) is not None:
            watchdog.cancel()
        for task in getattr(self, "resyncs", {}).values():
            task.cancel()
        for conversation_id in list(getattr(self, "watched", ())):
            await self.unwatch(conversation_id)
        await super().disconnect(code)

    # --- from the generations ---

    async def stream_frame(self, event: dict[str, Any]) -> None:
        message_id = event["message_id"]
        self.last_frame_at[message_id] = asyncio.get_running_loop().time()
        in_page = self.order.knows(message_id)
        ready, gap = self.order.receive(
            message_id, event["seq"], event["html"], final=event.get("final", False)
        )
        for html in ready:
            await self.send(text_data=html)
        if gap:
            await self.resync(message_id, in_page=in_page)

    async def stream_refresh(self, event: dict[str, Any]) -> None:
        await self.resync(event["message_id"], in_page=True)

    async def resync(self, message_id: int, *, in_page: bool) -> None:
        """Show the answer as it is now: from its generation in this process if it runs here,
        else from the database (its last checkpoint, or its final state)."""
        generation = self.local_generation(message_id)
        if generation is not None:
            live = generation.live
            html, seq, final = live.snapshot(in_page=in_page), live.snapshot_seq, False
        else:
            if await self._interrupt_if_stale(message_id):
                return  # every viewer, this one too, gets the refresh just broadcast
            stored = await astored_answer(message_id=message_id, conversation_ids=self.watched)
            if stored is None:
                return
            seq = max(stored.seq, OPENING_SEQ)
            final = stored.state != Message.State.STREAMING
            if not final and seq < self.order.shown(message_id):
                # The checkpoint is older than what the page shows: wait for a newer one.
                self._resync_later(message_id)
                return
            article = fragments.message_html({**stored.context, "oob": in_page})
            html = (
                article
                if in_page
                else fragments.messages_append(
                    self._question(stored) + article, conversation_id=stored.conversation_id
                )
            )
        await self.send(text_data=html)
        for frame in self.order.synced(message_id, seq, final=final):
            await self.send(text_data=frame)
        if self.order.waiting(message_id):
            self._resync_later(message_id)

    async def _watch_for_lost_endings(self) -> None:
        """Channel layers drop messages when a queue is full; if the one dropped was an answer's
        last frame, nothing after it shows a gap. Every heartbeat, the answers still shown
        streaming that have sent nothing for two heartbeats (a streaming answer sends frames
        all the time) are looked up in the database, and those that ended are resynced. So a
        socket whose answers stream costs no query."""
        loop = asyncio.get_running_loop()
        while True:
            heartbeat = settings.PLAYGROUND_HEARTBEAT_SECONDS
            await asyncio.sleep(heartbeat)
            quiet_since = loop.time() - 2 * heartbeat
            shown_streaming = self.order.unfinished()
            self.last_frame_at = {
                message_id: self.last_frame_at.get(message_id, loop.time())
                for message_id in shown_streaming
            }
            silent = [m for m in shown_streaming if self.last_frame_at[m] < quiet_since]
            if not silent:
                continue
            ended = Message.objects.filter(
                pk__in=silent, conversation_id__in=list(self.watched)
            ).exclude(state=Message.State.STREAMING)
            async for message_id in ended.values_list("pk", flat=True):
                if message_id in self.order.unfinished():
                    await self.resync(message_id, in_page=True)
            for message_id in silent:  # still streaming, but quiet: ask again in two heartbeats
                self.last_frame_at[message_id] = loop.time()

    def local_generation(self, message_id: int) -> Generation | None:
        """The generation writing this answer, if it runs in this process and is watched here."""
        generation = generation_get(message_id)
        if generation is None or generation.spec.conversation_id not in self.watched:
            return None
        return generation

    def _question(self, stored: StoredAnswer) -> str:
        """The user message an answer new to this page answers, if the page lacks it too."""
        if stored.question_context is None:
            return ""
        if self.shown_up_to is not None and stored.question_id <= self.shown_up_to:
            return ""
        return fragments.message_html({**stored.question_context, "oob": False})

    def _resync_later(self, message_id: int) -> None:
        # Frames kept aside are newer than the checkpoint just shown: try again once the
        # generation (in another process) has saved the next one.
        if message_id in self.resyncs and not self.resyncs[message_id].done():
            return

        async def again() -> None:
            await asyncio.sleep(settings.PLAYGROUND_CHECKPOINT_SECONDS)
            del self.resyncs[message_id]  # so that this resync may schedule the next one
            await self.resync(message_id, in_page=True)

        self.resyncs[message_id] = asyncio.create_task(again())

    async def _interrupt_if_stale(self, message_id: int) -> bool:
        answers = Message.objects.filter(pk=message_id, conversation_id__in=list(self.watched))
        interrupted = await astale_interrupt(answers, running=running_ids())
        for _, conversation_id in interrupted:
            await broadcast_refresh(conversation_id=conversation_id, message_id=message_id)
        return bool(interrupted)


def whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def whole_numbers(values: Any) -> list[int]:
    if not isinstance(values, list):
        values = [values]
    return [n for n in map(whole_number, values) if n is not None]
