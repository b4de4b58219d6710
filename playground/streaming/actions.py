"""What a page's socket does with what its browser sends: JSON with an ``action``, dispatched.

The playground's socket and the compare page's each list their handlers in ``actions`` (by the
JSON's ``action``, "send" when absent); anything unreadable or unknown gets an answer in words
under the Message box, and nothing else happens.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from channels.generic.websocket import AsyncWebsocketConsumer

from playground.streaming import fragments

type Handler = Callable[[Any, dict[str, Any]], Awaitable[None]]


class ActionsConsumer(AsyncWebsocketConsumer):
    actions: ClassVar[dict[str, Handler]] = {}

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            data = json.loads(text_data or "")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            await self.send_words("The page sent something unreadable.")
            return
        action = data.get("action") or "send"
        handler = self.actions.get(action)
        if handler is None:
            await self.send_words(f"This page cannot do {action!r}.")
            return
        await handler(self, data)

    async def send_words(self, words: str) -> None:
        """A refusal in words, where the page shows the Message box's errors."""
        await self.send(text_data=fragments.message_errors([words]))
