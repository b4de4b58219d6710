"""The compare page's websocket, ``/ws/compare/<id>/``: every lane's answers live, over one socket.

It watches each lane's conversation (``WatchingConsumer``: catch-up, ordered frames, resyncs);
a new message lands in its lane's list, ``#lane-messages-<conversation id>``, which the frames
name besides the playground's ``#messages`` (see ``fragments.messages_append``).
What the browser may ask (``action`` in the JSON, "send" when absent): "send" (the prompt to
every lane), "stop" and "retry" (one answer, ``message_id``, from a message's footer),
"stop_all", and "resync" (``message_ids``, after a reconnect).
"""

from __future__ import annotations

from typing import Any, ClassVar

from channels.db import database_sync_to_async
from django.contrib.auth.base_user import AbstractBaseUser

from playground.accounts.consumers import AuthenticatedConsumer
from playground.cluster.stopping import answer_stop_elsewhere
from playground.compare.models import Lane
from playground.compare.sending import compare_retry, compare_send
from playground.conversations.models import Message
from playground.streaming.actions import ActionsConsumer, Handler
from playground.streaming.runner import (
    generation_start,
    generation_stop,
    running_ids,
)
from playground.streaming.watching import (
    WatchingConsumer,
    whole_number,
    whole_numbers,
)

CLOSE_NOT_FOUND = 4404


class CompareConsumer(ActionsConsumer, WatchingConsumer, AuthenticatedConsumer):
    async def connected(self) -> None:
        self.start_watching()
        self.compare_id: int = self.scope["url_route"]["kwargs"]["compare_id"]
        lanes = Lane.objects.filter(session_id=self.compare_id, session__user=self.user)
        conversation_ids = [cid async for cid in lanes.values_list("conversation_id", flat=True)]
        if not conversation_ids:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        for conversation_id in conversation_ids:
            await self.watch(conversation_id, catch_up=True)

    @property
    def user(self) -> AbstractBaseUser:
        return self.scope["user"]

    # --- from the browser ---

    async def _send_prompt(self, data: dict[str, Any]) -> None:
        sent = await database_sync_to_async(compare_send)(
            user=self.user, compare_id=self.compare_id, data=data, running=running_ids()
        )
        if sent is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        for conversation_id in sent.conversation_ids:  # a lane added since the page loaded
            await self.watch(conversation_id, catch_up=False)
        for accepted in sent.accepted:
            generation_start(accepted.spec)
        await self.send(text_data=sent.reply)

    async def _stop(self, data: dict[str, Any]) -> None:
        message_id = whole_number(data.get("message_id"))
        if message_id is not None:
            await self._stop_answer(message_id)

    async def _stop_all(self, data: dict[str, Any]) -> None:
        streaming = Message.objects.filter(
            conversation_id__in=list(self.watched), state=Message.State.STREAMING
        )
        for message_id in [pk async for pk in streaming.values_list("pk", flat=True)]:
            await self._stop_answer(message_id)

    async def _stop_answer(self, message_id: int) -> None:
        # As the playground's Stop: this process's generation saves what arrived; one running
        # elsewhere (or in none any more) is told through the channel layer or the database.
        if self.local_generation(message_id) is not None:
            generation_stop(message_id)
            return
        answers = Message.objects.filter(pk=message_id, conversation_id__in=list(self.watched))
        conversation_id = await answers.values_list("conversation_id", flat=True).afirst()
        if conversation_id is not None:
            await answer_stop_elsewhere(message_id=message_id, conversation_id=conversation_id)

    async def _retry(self, data: dict[str, Any]) -> None:
        message_id = whole_number(data.get("message_id"))
        if message_id is None:
            return
        lane = await (
            Lane.objects.select_related("session")
            .filter(
                session_id=self.compare_id,
                session__user=self.user,
                conversation__messages__pk=message_id,
            )
            .afirst()
        )
        if lane is None:
            return
        accepted, reply = await database_sync_to_async(compare_retry)(
            user=self.user, lane=lane, message_id=message_id, running=running_ids()
        )
        if accepted is not None:
            generation_start(accepted.spec)
        else:
            await self.send(text_data=reply)

    async def _resync_requested(self, data: dict[str, Any]) -> None:
        for message_id in whole_numbers(data.get("message_ids")):
            await self.resync(message_id, in_page=True)

    actions: ClassVar[dict[str, Handler]] = {
        "send": _send_prompt,
        "stop": _stop,
        "stop_all": _stop_all,
        "retry": _retry,
        "resync": _resync_requested,
    }
