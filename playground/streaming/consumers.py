"""The playground page's websocket: sending, stopping and retrying, and the live answers.

``/ws/c/<id>/`` watches one of the user's conversations (anyone else's is closed with 4404);
``/ws/chat/`` is a new chat until its first message creates the conversation. Showing the live
answers (catch-up, frames in order, resyncs) is ``watching.WatchingConsumer``'s; this socket adds
what the owner may ask. The browser sends the compose form as JSON (htmx ``ws-send``), with
``action`` "send" (the default), "stop", "retry", "edit" (with the edited text as ``message``) or
"regenerate" (each with ``message_id``), or "resync" (``message_ids``); ``ChatConsumer.actions``
maps each to its handler.
"""

from __future__ import annotations

from typing import Any, ClassVar

from channels.db import database_sync_to_async
from django.contrib.auth.base_user import AbstractBaseUser

from playground.accounts.consumers import AuthenticatedConsumer
from playground.cluster.stopping import answer_stop_elsewhere
from playground.conversations.models import Conversation, Message
from playground.streaming import fragments
from playground.streaming.actions import ActionsConsumer, Handler
from playground.streaming.runner import generation_start, generation_stop, running_ids
from playground.streaming.sending import Accepted, Refusal, message_retry, message_send
from playground.streaming.watching import (
    WatchingConsumer,
    whole_number,
    whole_numbers,
)

# Private-use close code (4000-4999): the conversation is not there for this user, like HTTP 404.
CLOSE_NOT_FOUND = 4404


class ChatConsumer(ActionsConsumer, WatchingConsumer, AuthenticatedConsumer):
    """The playground page's socket: one conversation (none yet for a new chat)."""

    conversation_id: int | None = None

    async def connected(self) -> None:
        self.start_watching()
        # Whether this page shows errors about its settings from a refused send; if it does
        # not, an accepted send has only the Message box's errors to clear.
        self.settings_errors_shown = False
        conversation_id = self.scope["url_route"]["kwargs"].get("conversation_id")
        if conversation_id is None:
            return
        owned = await Conversation.objects.filter(pk=conversation_id, user=self.user).aexists()
        if not owned:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self._watch(conversation_id, catch_up=True)

    @property
    def user(self) -> AbstractBaseUser:
        return self.scope["user"]

    async def _watch(self, conversation_id: int, *, catch_up: bool) -> None:
        self.conversation_id = conversation_id
        await self.watch(conversation_id, catch_up=catch_up)

    # --- from the browser ---

    async def _send_message(self, data: dict[str, Any]) -> None:
        # A socket reopened at /ws/chat/ after its first send still carries its conversation.
        conversation_id = self.conversation_id or whole_number(data.get("conversation_id"))
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

    async def _branch(self, data: dict[str, Any], *, edit: bool) -> None:
        """Edit a question (``edit``) or regenerate an answer: a new branch from there, sent
        with the settings the page shows."""
        message_id = whole_number(data.get("message_id"))
        if message_id is None or self.conversation_id is None:
            return
        outcome, reply = await _sent(
            user=self.user,
            conversation_id=self.conversation_id,
            data=data,
            running=running_ids(),
            clear_settings=self.settings_errors_shown,
            edit_of=message_id if edit else None,
            regenerate_of=None if edit else message_id,
        )
        if isinstance(outcome, Refusal):
            await self._refuse(outcome, reply)
            return
        generation_start(outcome.spec)
        self.settings_errors_shown = False
        await self.send(text_data=reply)

    async def _edit(self, data: dict[str, Any]) -> None:
        await self._branch(data, edit=True)

    async def _regenerate(self, data: dict[str, Any]) -> None:
        await self._branch(data, edit=False)

    async def _refuse(self, refusal: Refusal, reply: str) -> None:
        if refusal.settings_form is not None:
            self.settings_errors_shown = True
        await self.send(text_data=reply)

    async def _stop(self, data: dict[str, Any]) -> None:
        message_id = whole_number(data.get("message_id"))
        if message_id is None or self.conversation_id is None:
            return
        if self.local_generation(message_id) is not None:
            generation_stop(message_id)
            return
        # Written by another process (told through the channel layer), or by none any more.
        await answer_stop_elsewhere(message_id=message_id, conversation_id=self.conversation_id)

    async def _resync_requested(self, data: dict[str, Any]) -> None:
        """The page reconnected: show each of these answers (of the user's) as it is now."""
        message_ids = whole_numbers(data.get("message_ids"))
        if self.conversation_id is None and message_ids:
            # A new chat's socket reopened at /ws/chat/: watch the conversation it had started.
            owner = Message.objects.filter(pk=message_ids[0], conversation__user=self.user)
            conversation_id = await owner.values_list("conversation_id", flat=True).afirst()
            if conversation_id is None:
                return
            await self._watch(conversation_id, catch_up=False)
        for message_id in message_ids:
            await self.resync(message_id, in_page=True)

    async def _retry(self, data: dict[str, Any]) -> None:
        message_id = whole_number(data.get("message_id"))
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

    # What the browser may ask, by the JSON's ``action`` ("send" when absent).
    actions: ClassVar[dict[str, Handler]] = {
        "send": _send_message,
        "stop": _stop,
        "retry": _retry,
        "edit": _edit,
        "regenerate": _regenerate,
        "resync": _resync_requested,
    }


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
    edit_of: int | None = None,
    regenerate_of: int | None = None,
) -> tuple[Accepted | Refusal, str]:
    outcome = message_send(
        user=user,
        conversation_id=conversation_id,
        data=data,
        running=running,
        edit_of=edit_of,
        regenerate_of=regenerate_of,
    )
    # An edited message's errors go under its own box, not under the Message box.
    box = f"edit-{edit_of}" if edit_of is not None else "message"
    if isinstance(outcome, Refusal):
        return outcome, _refusal_html(outcome, box=box)
    if edit_of is not None or regenerate_of is not None:
        return outcome, _branched_html(outcome, clear_settings=clear_settings)
    return outcome, _accepted_html(outcome, clear_settings=clear_settings)


@database_sync_to_async
def _retried(
    *, user: AbstractBaseUser, conversation_id: int, message_id: int, running: frozenset[int]
) -> tuple[Accepted | Refusal, str]:
    outcome = message_retry(
        user=user, conversation_id=conversation_id, message_id=message_id, running=running
    )
    return outcome, _refusal_html(outcome) if isinstance(outcome, Refusal) else ""


def _refusal_html(refusal: Refusal, *, box: str = "message") -> str:
    """The forms' errors where they belong; a refusal in words goes under the Message box (or
    the edited message's box), unanswered tool calls under the Result boxes."""
    words = [refusal.message] if refusal.message else []
    compose_form = refusal.compose_form
    if compose_form is not None and words:
        compose_form.add_error("message", refusal.message)
        words = []
    if compose_form is not None and box != "message":
        words, compose_form = list(compose_form.errors.get("message", [])), None
    html = ""
    if refusal.settings_form is not None:
        html = fragments.form_feedback(
            settings_form=refusal.settings_form,
            compose_form=compose_form,
            extra_errors=refusal.extra_errors,
        )
    if words or box != "message":
        html += fragments.message_errors(words, name=box)
    html += fragments.message_errors(refusal.tool_errors, name="tool_results")
    return html


def _accepted_html(accepted: Accepted, *, clear_settings: bool) -> str:
    """Errors emptied, an empty Message box, and for a new chat its address and sidebar entry.

    Field errors are kept current by the page's "check settings" requests as fields change; all
    the containers are emptied only if a refused send on this socket filled them.
    """
    html = fragments.compose_cleared()
    if clear_settings:  # the Message box's errors are emptied above
        html += fragments.form_feedback(settings_form=accepted.settings_form, compose_form=None)
    if accepted.created:
        html += fragments.conversation_started(conversation=accepted.conversation)
    return html


def _branched_html(accepted: Accepted, *, clear_settings: bool) -> str:
    """Errors emptied; the Message box keeps what it holds (the edit was in its own box)."""
    html = fragments.message_errors([])
    if clear_settings:
        html += fragments.form_feedback(settings_form=accepted.settings_form, compose_form=None)
    return html
