"""Sending a message and retrying an answer: validation, limits, the stored turn, the generation.

Both are sync (forms and a transaction); the consumer runs them with ``database_sync_to_async``
and starts the generation the returned spec describes once the transaction has committed. The
limits are checked inside that transaction with the user's row locked, so two sends racing in
two processes cannot both take the last place (SQLite's IMMEDIATE transactions serialise them as
well).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction
from django.views.decorators.debug import sensitive_variables

from playground.accounts.crypto import SecretUnreadable
from playground.accounts.providers import providers_to_choose
from playground.accounts.services import api_key_reveal
from playground.conversations.forms import ComposeForm, RequestSettingsForm
from playground.conversations.models import Conversation, Message
from playground.conversations.presentation import message_context
from playground.conversations.services import (
    conversation_create,
    conversation_request_messages,
    conversation_update_settings,
    message_add_exchange,
    message_branch,
    message_start_assistant,
    preferences_remember,
    request_messages,
)
from playground.conversations.tool_loop import (
    answers_tools,
    pending_tool_calls,
    tool_results_turn,
)
from playground.streaming import fragments
from playground.streaming.runner import GenerationSpec
from playground.streaming.store import stale_interrupt
from playground.wire.request import RequestInvalid

RETRYABLE = (Message.State.ERROR, Message.State.STOPPED, Message.State.INTERRUPTED)


@dataclass(frozen=True)
class Refusal:
    """Nothing was sent. The forms carry field errors; ``message`` is for the compose box."""

    settings_form: RequestSettingsForm | None = None
    compose_form: ComposeForm | None = None
    message: str = ""
    extra_errors: list[str] = field(default_factory=list)  # the history breaks a rule
    tool_errors: list[str] = field(default_factory=list)  # a tool call left unanswered


@dataclass(frozen=True)
class Accepted:
    conversation: Conversation
    created: bool
    spec: GenerationSpec
    settings_form: RequestSettingsForm


class _Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


@sensitive_variables("secret")
def message_send(
    *,
    user: AbstractBaseUser,
    conversation_id: int | None,
    data: Mapping[str, Any],
    running: frozenset[int],
    edit_of: int | None = None,
    regenerate_of: int | None = None,
    remember: bool = True,
) -> Accepted | Refusal:
    """Validate ``data`` (the compose form as the browser sent it), store the user's message and
    the empty answer, and describe the generation to start. ``conversation_id`` None starts a new
    chat; ``running`` are the answers this process is writing (never taken for stale).

    When the conversation's leaf waits for tool results, the user's turn is those results (from
    the page's Result boxes) and then the Message box's text, if any. ``edit_of`` (a user message)
    makes the new message its sibling, a new branch; ``regenerate_of`` (an answer) stores no
    user message and answers the same question again as a sibling. Either takes the place of
    the branch it leaves on the page. ``remember`` makes these settings what the user's next
    "New chat" starts from (a compare lane's do not)."""
    # Only validated, never shown whole (its errors are): the chosen provider is all it needs.
    providers = providers_to_choose(user, data.get("provider"))
    settings_form = RequestSettingsForm(data=data, user=user, providers=providers)
    text_required = regenerate_of is None and not answers_tools(data)
    compose_form = ComposeForm(data={"message": data.get("message")}, required=text_required)
    if not (settings_form.is_valid() & compose_form.is_valid()):
        return Refusal(settings_form=settings_form, compose_form=compose_form)
    text = compose_form.cleaned_data["message"]
    try:
        secret = _reveal(settings_form)
        with transaction.atomic():
            conversation = _locked_conversation(user=user, conversation_id=conversation_id)
            _check_limits(user=user, conversation=conversation, running=running)
            created = conversation is None
            if conversation is None:
                conversation = conversation_create(user=user, settings_form=settings_form)
            else:
                conversation_update_settings(conversation=conversation, settings_form=settings_form)
            replaced = _branch_point(
                conversation=conversation, edit_of=edit_of, regenerate_of=regenerate_of
            )
            if remember:
                preferences_remember(user=user, settings_form=settings_form)
            question, answer, question_html = _exchange(
                conversation=conversation,
                replaced=replaced,
                text=text,
                data=data,
                provider_slug=settings_form.provider.slug,
                model=settings_form.cleaned_data["model"],
            )
            if created:  # its whole path is at hand: no need to read it back
                history = request_messages(path=[question, answer])
            else:
                history = conversation_request_messages(conversation=conversation)
            built = settings_form.build_body(history)
    except _Refused as refused:
        return replace(refused.refusal, settings_form=settings_form, compose_form=compose_form)
    except RequestInvalid as invalid:  # the history breaks a rule of this provider
        return Refusal(
            settings_form=settings_form,
            compose_form=compose_form,
            extra_errors=[error.message for error in invalid.errors],
        )
    spec = GenerationSpec(
        message_id=answer.pk,
        conversation_id=conversation.pk,
        provider=settings_form.provider,
        api_key=secret,
        body=built.body,
        warnings=built.warnings,
        before_html=question_html,
        replaces_message_id=replaced.pk if replaced is not None else None,
    )
    return Accepted(
        conversation=conversation, created=created, spec=spec, settings_form=settings_form
    )


def _branch_point(
    *, conversation: Conversation, edit_of: int | None, regenerate_of: int | None
) -> Message | None:
    """The message an edit or a regeneration branches away from (None for a plain send)."""
    if edit_of is None and regenerate_of is None:
        return None
    role = Message.Role.USER if edit_of is not None else Message.Role.ASSISTANT
    replaced = conversation.messages.filter(pk=edit_of or regenerate_of, role=role).first()
    if replaced is None or (regenerate_of is not None and replaced.parent_id is None):
        what = "message to edit" if edit_of is not None else "answer to regenerate"
        raise _Refused(Refusal(message=f"That {what} is no longer in this conversation."))
    return replaced


def _exchange(
    *,
    conversation: Conversation,
    replaced: Message | None,
    text: str,
    data: Mapping[str, Any],
    provider_slug: str,
    model: str,
) -> tuple[Message, Message, str]:
    """The question the new answer answers, the answer, and the question's HTML if it is new
    to the page."""
    if replaced is not None and replaced.role == Message.Role.ASSISTANT:
        question = replaced.parent  # a regeneration answers the same question again
        answer = message_start_assistant(
            conversation=conversation, parent=question, provider_slug=provider_slug, model=model
        )
        return question, answer, ""
    if replaced is not None:  # an edit: a sibling of the edited message
        parent_id, content = replaced.parent_id, [{"type": "text", "text": text}]
    else:
        parent_id, content = (
            conversation.current_leaf_id,
            _turn_content(conversation=conversation, text=text, data=data),
        )
    question, answer = message_add_exchange(
        conversation=conversation,
        parent_id=parent_id,
        content=content,
        provider_slug=provider_slug,
        model=model,
    )
    branch = message_branch(message=question) if replaced is not None else None
    html = fragments.message_html({**message_context(question, branch=branch), "oob": False})
    return question, answer, html


def _turn_content(
    *, conversation: Conversation, text: str, data: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The user's turn after the current leaf: the results of the tool calls it waits for (from
    the page's Result boxes) and the Message box's text, or only that text."""
    calls = pending_tool_calls(conversation.current_leaf) if conversation.current_leaf_id else []
    if calls:
        content, errors = tool_results_turn(calls=calls, data=data, text=text)
        if errors:
            raise _Refused(Refusal(tool_errors=errors))
        return content
    if answers_tools(data):
        raise _Refused(
            Refusal(
                message="The tool calls these results answer are no longer waiting (the "
                "conversation changed in another tab): reload the page. Your message is kept."
            )
        )
    return [{"type": "text", "text": text}]


@sensitive_variables("secret")
def message_retry(
    *, user: AbstractBaseUser, conversation_id: int, message_id: int, running: frozenset[int]
) -> Accepted | Refusal:
    """Answer the failed (stopped, interrupted) answer's question again, as a new sibling, with
    the conversation's saved settings; the new answer takes the old one's place on the page."""
    try:
        with transaction.atomic():
            conversation = _locked_conversation(user=user, conversation_id=conversation_id)
            if conversation is None:
                raise _Refused(Refusal(message="This conversation no longer exists."))
            failed = conversation.messages.filter(
                pk=message_id, role=Message.Role.ASSISTANT, state__in=RETRYABLE
            ).first()
            if failed is None or failed.parent is None:
                raise _Refused(
                    Refusal(message="Only an answer that failed or was stopped can be retried.")
                )
            saved = RequestSettingsForm.from_conversation(conversation, user=user)
            settings_form = RequestSettingsForm(data=saved.initial, user=user)
            if not settings_form.is_valid():
                raise _Refused(Refusal(settings_form=settings_form))
            secret = _reveal(settings_form)
            _check_limits(user=user, conversation=conversation, running=running)
            answer = message_start_assistant(
                conversation=conversation,
                parent=failed.parent,
                provider_slug=settings_form.provider.slug,
                model=settings_form.cleaned_data["model"],
            )
            built = settings_form.build_body(
                conversation_request_messages(conversation=conversation)
            )
    except _Refused as refused:
        return refused.refusal
    except RequestInvalid as invalid:
        return Refusal(
            settings_form=settings_form, extra_errors=[error.message for error in invalid.errors]
        )
    spec = GenerationSpec(
        message_id=answer.pk,
        conversation_id=conversation.pk,
        provider=settings_form.provider,
        api_key=secret,
        body=built.body,
        warnings=built.warnings,
        replaces_message_id=failed.pk,
    )
    return Accepted(
        conversation=conversation, created=False, spec=spec, settings_form=settings_form
    )


@sensitive_variables("secret")
def _reveal(settings_form: RequestSettingsForm) -> str | None:
    key = settings_form.api_key
    if key is None:
        return None
    try:
        return api_key_reveal(key=key)
    except SecretUnreadable as unreadable:
        settings_form.add_error("api_key", f"API key: {unreadable}")
        raise _Refused(Refusal(settings_form=settings_form)) from None


def _locked_conversation(
    *, user: AbstractBaseUser, conversation_id: int | None
) -> Conversation | None:
    """The conversation as it is now (another tab may have moved its leaf), its row locked."""
    if conversation_id is None:
        return None
    conversation = (
        Conversation.objects.select_for_update().filter(pk=conversation_id, user=user).first()
    )
    if conversation is None:
        raise _Refused(Refusal(message="This conversation no longer exists."))
    return conversation


def _check_limits(
    *, user: AbstractBaseUser, conversation: Conversation | None, running: frozenset[int]
) -> None:
    # Serialise this user's sends on PostgreSQL; SQLite's IMMEDIATE transactions already do
    # (there the locking read would be a plain one, a statement for nothing).
    if connection.features.has_select_for_update:
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    streaming = Message.objects.filter(conversation__user=user, state=Message.State.STREAMING)
    limit = settings.PLAYGROUND_MAX_CONCURRENT_GENERATIONS
    busy = list(streaming.values_list("conversation_id", flat=True))
    if (len(busy) >= limit or _answering(conversation, busy)) and stale_interrupt(
        streaming, running=running
    ):
        # Answers left by a process that went away no longer count.
        busy = list(streaming.values_list("conversation_id", flat=True))
    if _answering(conversation, busy):
        raise _Refused(
            Refusal(
                message="An answer is still streaming in this conversation: wait for it to "
                "finish, or stop it, then send again. Your message is kept."
            )
        )
    if len(busy) >= limit:
        answers = "answer" if len(busy) == 1 else "answers"
        raise _Refused(
            Refusal(
                message=f"You already have {len(busy)} {answers} streaming, the most this "
                f"server allows at once ({limit}). Wait for one to finish or stop one, then "
                "send again. Your message is kept."
            )
        )


def _answering(conversation: Conversation | None, busy: list[int]) -> bool:
    return conversation is not None and conversation.pk in busy
