"""The playground page's websocket: sending, stopping and retrying, and the live answers.

``/ws/c/<id>/`` watches one of the user's conversations (anyone else's is closed with 4404);
``/ws/chat/`` is a new chat until its first message creates the conversation. On connect the
socket joins the conversation's group first, then sends a snapshot of every answer still
streaming (and the final state of any that just ended), so that no frame falls between the two;
from then on it forwards frames in order (see ``ordering``). The browser sends the compose form
as JSON (htmx ``ws-send``), with ``action`` "send" (the default), "stop" or "retry" (with
``message_id``), or "resync" (``message_ids``).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from playground.accounts.consumers import AuthenticatedConsumer
from playground.conversations.forms import ComposeForm
from playground.conversations.models import Conversation, Message
from playground.streaming import fragments
from playground.streaming.live import OPENING_SEQ
from playground.streaming.ordering import FrameOrder
from playground.streaming.runner import (
    FRAME_EVENT,
    Generation,
    conversation_group,
    generation_get,
    generation_start,
    generation_stop,
    running_ids,
)
from playground.streaming.sending import Accepted, Refusal, message_retry, message_send
from playground.streaming.store import (
    StoredAnswer,
    aconversation_live_ids,
    astale_interrupt,
    astored_answer,
)

# Private-use close code (4000-4999): the conversation is not there for this user, like HTTP 404.
CLOSE_NOT_FOUND = 4404
REFRESH_EVENT = "stream.refresh"


class ChatConsumer(AuthenticatedConsumer):
    conversation_id: int | None = None

    async def connected(self) -> None:
        self.order = FrameOrder()
        # Whether this page shows errors about its settings from a refused send; if it does
        # not, an accepted send has only the Message box's errors to clear.
        self.settings_errors_shown = False
        self.resyncs: dict[int, asyncio.Task[None]] = {}
        # The last message the page showed when it was rendered (``?after=``); messages after
        # it were sent, from another tab, before this socket joined: they are added, not swapped.
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.shown_up_to = _whole_number((query.get("after") or [None])[0])
        conversation_id = self.scope["url_route"]["kwargs"].get("conversation_id")
        if conversation_id is None:
            return
        owned = await Conversation.objects.filter(pk=conversation_id, user=self.user).aexists()
        if not owned:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self._watch(conversation_id, catch_up=True)

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Frames are the hot path and touch no database (a resync they cause goes through
        # database_sync_to_async, which cleans connections itself): skip Channels' clean-up
        # before each handler, a hop to the one sync thread per frame and per viewer.
        if message["type"] == FRAME_EVENT:
            await self.stream_frame(message)
        else:
            await super().dispatch(message)

    async def disconnect(self, code: int) -> None:
        for task in getattr(self, "resyncs", {}).values():
            task.cancel()
        if self.conversation_id is not None:
            await self.channel_layer.group_discard(
                conversation_group(self.conversation_id), self.channel_name
            )
        await super().disconnect(code)

    @property
    def user(self) -> AbstractBaseUser:
        return self.scope["user"]

    async def _watch(self, conversation_id: int, *, catch_up: bool) -> None:
        """Join the conversation's group, then (``catch_up``) show every answer still streaming,
        or just ended, as it is now."""
        self.conversation_id = conversation_id
        await self.channel_layer.group_add(conversation_group(conversation_id), self.channel_name)
        if catch_up:
            for message_id in await aconversation_live_ids(conversation_id=conversation_id):
                in_page = self.shown_up_to is None or message_id <= self.shown_up_to
                await self._resync(message_id, in_page=in_page)

    # --- from the browser ---

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            data = json.loads(text_data or "")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            await self.send(text_data=_words_html("The page sent something unreadable."))
            return
        action = data.get("action") or "send"
        if action == "send":
            await self._send_message(data)
        elif action == "stop":
            await self._stop(_whole_number(data.get("message_id")))
        elif action == "retry":
            await self._retry(_whole_number(data.get("message_id")))
        elif action == "resync":
            await self._resync_requested(_whole_numbers(data.get("message_ids")))
        else:
            await self.send(text_data=_words_html(f"Unknown action {action!r}."))

    async def _send_message(self, data: dict[str, Any]) -> None:
        # A socket reopened at /ws/chat/ after its first send still carries its conversation.
        conversation_id = self.conversation_id or _whole_number(data.get("conversation_id"))
        outcome, reply = await _sent(
            user=self.user,
            conversation_id=conversation_id,
            data=data,
            running=running_ids(),
            clear_settings=self.settings_errors_shown,
        )
        if isinstance(outcome, Refusal):
            await self._refuse(outcome, reply)
            return
        if self.conversation_id != outcome.conversation.pk:
            await self._watch(outcome.conversation.pk, catch_up=False)
        generation_start(outcome.spec)
        self.settings_errors_shown = False
        await self.send(text_data=reply)

    async def _refuse(self, refusal: Refusal, reply: str) -> None:
        if refusal.settings_form is not None:
            self.settings_errors_shown = True
        await self.send(text_data=reply)

    async def _stop(self, message_id: int | None) -> None:
        if message_id is None or self.conversation_id is None:
            return
        if self._local(message_id) is not None:
            generation_stop(message_id)
            return
        # Written by another process (it notices at its next checkpoint), or by none any more.
        answers = Message.objects.filter(
            pk=message_id, conversation_id=self.conversation_id, state=Message.State.STREAMING
        )
        if await answers.aupdate(state=Message.State.STOPPED, updated_at=timezone.now()):
            await self._broadcast_refresh(message_id)

    async def _resync_requested(self, message_ids: list[int]) -> None:
        """The page reconnected: show each of these answers (of the user's) as it is now."""
        if self.conversation_id is None and message_ids:
            # A new chat's socket reopened at /ws/chat/: watch the conversation it had started.
            owner = Message.objects.filter(pk=message_ids[0], conversation__user=self.user)
            conversation_id = await owner.values_list("conversation_id", flat=True).afirst()
            if conversation_id is None:
                return
            await self._watch(conversation_id, catch_up=False)
        for message_id in message_ids:
            await self._resync(message_id, in_page=True)

    async def _retry(self, message_id: int | None) -> None:
        if message_id is None or self.conversation_id is None:
            return
        outcome, reply = await _retried(
            user=self.user,
            conversation_id=self.conversation_id,
            message_id=message_id,
            running=running_ids(),
        )
        if isinstance(outcome, Refusal):
            await self._refuse(outcome, reply)
            return
        generation_start(outcome.spec)

    # --- from the generations ---

    async def stream_frame(self, event: dict[str, Any]) -> None:
        message_id = event["message_id"]
        in_page = self.order.knows(message_id)
        ready, gap = self.order.receive(
            message_id, event["seq"], event["html"], final=event.get("final", False)
        )
        for html in ready:
            await self.send(text_data=html)
        if gap:
            await self._resync(message_id, in_page=in_page)

    async def stream_refresh(self, event: dict[str, Any]) -> None:
        await self._resync(event["message_id"], in_page=True)

    async def _resync(self, message_id: int, *, in_page: bool) -> None:
        """Show the answer as it is now: from its generation in this process if it runs here,
        else from the database (its last checkpoint, or its final state)."""
        generation = self._local(message_id)
        if generation is not None:
            live = generation.live
            html, seq, final = live.snapshot(in_page=in_page), live.snapshot_seq, False
        else:
            if await self._interrupt_if_stale(message_id):
                return  # every viewer, this one too, gets the refresh just broadcast
            stored = await astored_answer(
                message_id=message_id, conversation_id=self.conversation_id
            )
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
                article if in_page else fragments.messages_append(self._question(stored) + article)
            )
        await self.send(text_data=html)
        for frame in self.order.synced(message_id, seq, final=final):
            await self.send(text_data=frame)
        if self.order.waiting(message_id):
            self._resync_later(message_id)

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
            await self._resync(message_id, in_page=True)

        self.resyncs[message_id] = asyncio.create_task(again())

    async def _interrupt_if_stale(self, message_id: int) -> bool:
        answers = Message.objects.filter(pk=message_id, conversation_id=self.conversation_id)
        if not await astale_interrupt(answers, running=running_ids()):
            return False
        await self._broadcast_refresh(message_id)
        return True

    async def _broadcast_refresh(self, message_id: int) -> None:
        assert self.conversation_id is not None
        await self.channel_layer.group_send(
            conversation_group(self.conversation_id),
            {"type": REFRESH_EVENT, "message_id": message_id},
        )

    def _local(self, message_id: int) -> Generation | None:
        generation = generation_get(message_id)
        if generation is None or generation.spec.conversation_id != self.conversation_id:
            return None
        return generation


# The send, and the reply it needs rendered, in one trip to the sync thread: a burst of sends
# queues there, and each answer should start as soon as its own send is stored.
@database_sync_to_async
def _sent(
    *,
    user: AbstractBaseUser,
    conversation_id: int | None,
    data: dict[str, Any],
    running: frozenset[int],
    clear_settings: bool,
) -> tuple[Accepted | Refusal, str]:
    outcome = message_send(user=user, conversation_id=conversation_id, data=data, running=running)
    if isinstance(outcome, Refusal):
        return outcome, _refusal_html(outcome)
    return outcome, _accepted_html(outcome, clear_settings=clear_settings)


@database_sync_to_async
def _retried(
    *, user: AbstractBaseUser, conversation_id: int, message_id: int, running: frozenset[int]
) -> tuple[Accepted | Refusal, str]:
    outcome = message_retry(
        user=user, conversation_id=conversation_id, message_id=message_id, running=running
    )
    return outcome, _refusal_html(outcome) if isinstance(outcome, Refusal) else ""


def _refusal_html(refusal: Refusal) -> str:
    """The forms' errors where they belong; a refusal in words goes under the Message box."""
    words = [refusal.message] if refusal.message else []
    if refusal.compose_form is not None and words:
        refusal.compose_form.add_error("message", refusal.message)
        words = []
    html = ""
    if refusal.settings_form is not None:
        html = fragments.form_feedback(
            settings_form=refusal.settings_form,
            compose_form=refusal.compose_form,
            extra_errors=refusal.extra_errors,
        )
    if words:
        html += fragments.message_errors(words)
    return html


def _accepted_html(accepted: Accepted, *, clear_settings: bool) -> str:
    """Errors emptied, an empty Message box, and for a new chat its address and sidebar entry.

    Field errors are kept current by the page's "check settings" requests as fields change; all
    the containers are emptied only if a refused send on this socket filled them.
    """
    if clear_settings:
        html = fragments.form_feedback(
            settings_form=accepted.settings_form, compose_form=ComposeForm()
        )
    else:
        html = fragments.message_errors([])
    html += fragments.message_box()
    if accepted.created:
        html += fragments.conversation_started(conversation=accepted.conversation)
    return html


def _words_html(words: str) -> str:
    return fragments.message_errors([words])


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _whole_numbers(values: Any) -> list[int]:
    if not isinstance(values, list):
        values = [values]
    return [n for n in map(_whole_number, values) if n is not None]
