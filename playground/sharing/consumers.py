"""The share page's websocket, ``/ws/s/<token>/``: a live link's answers as they stream.

It needs no sign-in (the token is the permission), so it is not an ``AuthenticatedConsumer``; it
checks the token itself instead. It watches what the link shows only while the link is open: its
conversation, or every lane's conversation of a shared comparison. An unknown, revoked or expired
token, or a snapshot link (nothing on it moves), is closed with 4404, and an open socket is
closed with 4404 when the owner revokes the link, when its target is deleted, or when the link
expires; a lane that leaves a shared comparison is no longer watched. It is read-only: whatever
the browser sends is ignored (the frames' Stop and Retry forms are hidden on the share page, and
do nothing here).

The last frame of an answer makes the browser fetch the finished answer from the owner's
``/m/<id>/``; this socket points that fetch at the link's own ``/s/<token>/m/<id>/`` instead.
A comparison's frames put each new message in its lane's list, as the compare page's do.
"""

from __future__ import annotations

import asyncio
from typing import Any

from django.urls import reverse
from django.utils import timezone

from playground.sharing.models import ShareLink
from playground.sharing.services import (
    ashare_conversation_ids,
    ashare_find_open,
    ashare_is_open,
    share_group,
)
from playground.streaming.watching import WatchingConsumer

# As for the playground's socket: the link is not there, like HTTP 404.
CLOSE_NOT_FOUND = 4404


class ShareConsumer(WatchingConsumer):
    share_id: int | None = None
    token: str = ""
    _expiry: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.token = self.scope["url_route"]["kwargs"]["token"]
        link = await ashare_find_open(token=self.token)
        await self.accept()
        if link is None or link.mode != ShareLink.Mode.LIVE:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.share_id = link.pk
        await self.channel_layer.group_add(share_group(link.pk), self.channel_name)
        # Revoked between the look-up and joining the group: the announcement went unheard.
        if not await ashare_is_open(share_id=link.pk):
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if link.expires_at is not None:
            self._expiry = asyncio.create_task(self._close_at(link.expires_at))
        self.start_watching()
        for conversation_id in await ashare_conversation_ids(share_id=link.pk):
            await self.watch(conversation_id, catch_up=True)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Read-only: nothing a visitor sends is acted on."""

    async def stream_frame(self, event: dict[str, Any]) -> None:
        if event.get("final"):
            event = {**event, "html": self._fetch_from_share(event["html"], event["message_id"])}
        await super().stream_frame(event)

    def _fetch_from_share(self, html: str, message_id: int) -> str:
        owners = reverse("message_fragment", kwargs={"message_id": message_id})
        shared = reverse("share_message", kwargs={"token": self.token, "message_id": message_id})
        return html.replace(f'hx-get="{owners}"', f'hx-get="{shared}"')

    async def share_revoked(self, event: dict[str, Any]) -> None:
        await self.close(code=CLOSE_NOT_FOUND)

    async def share_lanes_changed(self, event: dict[str, Any]) -> None:
        """A lane left the comparison (removed, or continued in the playground, where it is the
        owner's alone): stop watching it. A lane added later shows once the page is reloaded."""
        if self.share_id is None or not hasattr(self, "watched"):
            return
        shown = set(await ashare_conversation_ids(share_id=self.share_id))
        for conversation_id in list(self.watched - shown):
            await self.unwatch(conversation_id)

    async def _close_at(self, moment: Any) -> None:
        await asyncio.sleep(max(0.0, (moment - timezone.now()).total_seconds()))
        await self.close(code=CLOSE_NOT_FOUND)

    async def disconnect(self, code: int) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
        if self.share_id is not None:
            await self.channel_layer.group_discard(share_group(self.share_id), self.channel_name)
        await super().disconnect(code)
