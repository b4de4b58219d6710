"""Business functions for conversations and their messages; views and consumers only call these.

Sync functions for the pages; async callers (the websocket consumer, the generation) use the
``a``-prefixed twins, which run the sync function in a thread with a fresh database connection
as Channels requires (``database_sync_to_async``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from channels.db import database_sync_to_async
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.http import Http404

from playground.cluster.identity import process_name
from playground.conversations.models import Conversation, Message, UserPreferences

if TYPE_CHECKING:
    from playground.conversations.forms import RequestSettingsForm

TITLE_CHARS = 60
SIDEBAR_LIMIT = 100
# Message text is searched in the first blocks of each message (JSON path lookups, so that the
# search sees the text itself and not the JSON around it); later blocks are rare in a chat.
SEARCHED_BLOCKS = 8
# An answer that did not end normally keeps its partial output on the page, but only its text
# goes back upstream: a cut thinking block has no valid signature and a cut tool call no result.
_UNFINISHED = frozenset({Message.State.STOPPED, Message.State.ERROR, Message.State.INTERRUPTED})


# --- conversations ----------------------------------------------------------------------------


def conversation_get_for_user(*, user: AbstractBaseUser, conversation_id: int) -> Conversation:
    """``user``'s conversation ``conversation_id``; 404 for anyone else's, so nothing leaks."""
    conversation = (
        Conversation.objects.select_related("api_key").filter(user=user, pk=conversation_id).first()
    )
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation


def message_get_for_user(*, user: AbstractBaseUser, message_id: int) -> Message:
    """``user``'s message ``message_id`` (with its conversation); 404 for anyone else's."""
    message = (
        Message.objects.select_related("conversation")
        .filter(pk=message_id, conversation__user=user)
        .first()
    )
    if message is None:
        raise Http404("No such message.")
    return message


def conversation_create(
    *, user: AbstractBaseUser, settings_form: RequestSettingsForm
) -> Conversation:
    """A new, empty conversation with the (valid) form's settings."""
    return Conversation.objects.create(
        user=user,
        provider=settings_form.provider.slug,
        api_key=settings_form.api_key,
        settings=settings_form.settings_json(),
    )


def conversation_update_settings(
    *, conversation: Conversation, settings_form: RequestSettingsForm
) -> None:
    """Remember the (valid) form's settings as the ones this conversation's next turn uses."""
    conversation.provider = settings_form.provider.slug
    conversation.api_key = settings_form.api_key
    conversation.settings = settings_form.settings_json()
    conversation.save(update_fields=["provider", "api_key", "settings", "updated_at"])


def conversation_rename(*, conversation: Conversation, title: str) -> Conversation:
    """Give the conversation the title its owner chose; a blank title goes back to automatic."""
    title = " ".join(title.split())
    if title:
        conversation.title, conversation.title_is_auto = title, False
    else:
        conversation.title_is_auto = True
        first = conversation.messages.filter(role=Message.Role.USER).order_by("created_at").first()
        conversation.title = automatic_title(message_text(first.content)) if first else ""
    conversation.save(update_fields=["title", "title_is_auto", "updated_at"])
    return conversation


def conversation_delete(*, conversation: Conversation) -> None:
    conversation.delete()


def conversation_search(
    *, user: AbstractBaseUser, query: str = "", limit: int = SIDEBAR_LIMIT
) -> list[Conversation]:
    """``user``'s conversations, newest first; with a query, those whose title or message text
    contains it (case-insensitive). A compare lane's conversation shows only once it is
    continued in the playground."""
    conversations = Conversation.objects.filter(user=user, compare_lane__isnull=True)
    query = query.strip()
    if query:
        in_text = Q()
        for index in range(SEARCHED_BLOCKS):
            in_text |= Q(**{f"content__{index}__text__icontains": query})
        matching = Message.objects.filter(in_text, conversation__user=user)
        conversations = conversations.filter(
            Q(title__icontains=query) | Q(pk__in=matching.values("conversation_id"))
        )
    return list(conversations.order_by("-updated_at", "-id")[:limit])


def conversation_path(*, conversation: Conversation) -> list[Message]:
    """The messages shown and sent: from the root down to the conversation's current leaf."""
    if conversation.current_leaf_id is None:
        return []
    return _path_to_leaf(conversation, {m.pk: m for m in conversation.messages.all()})


def conversation_shown(*, conversation: Conversation) -> tuple[list[Message], dict[int, Branch]]:
    """The path, and where each of its messages that has siblings stands among them."""
    messages = list(conversation.messages.all())
    path = _path_to_leaf(conversation, {m.pk: m for m in messages})
    on_path = {m.pk for m in path}
    branches = {k: v for k, v in branches_of(messages).items() if k in on_path}
    return path, branches


def _path_to_leaf(conversation: Conversation, by_id: dict[int, Message]) -> list[Message]:
    path = []
    message = by_id.get(conversation.current_leaf_id)
    while message is not None:
        path.append(message)
        message = by_id.get(message.parent_id)
    path.reverse()
    return path


def conversation_request_messages(*, conversation: Conversation) -> list[dict[str, Any]]:
    """The path as the Messages API takes it: assistant content verbatim (thinking blocks with
    their signatures); answers still streaming, and unfinished ones with nothing to send, left
    out; consecutive turns of one role (a question asked again after a failed answer) joined."""
    return request_messages(path=conversation_path(conversation=conversation))


def request_messages(*, path: list[Message]) -> list[dict[str, Any]]:
    """``conversation_request_messages`` for a path already at hand (a new chat's first turn)."""
    messages: list[dict[str, Any]] = []
    for message in path:
        if message.state == Message.State.STREAMING:
            continue
        content = list(message.content)
        if message.state in _UNFINISHED:
            content = [b for b in content if b.get("type") == "text" and b.get("text")]
        if not content:
            continue
        if messages and messages[-1]["role"] == message.role:
            messages[-1]["content"] += content
        else:
            messages.append({"role": message.role, "content": content})
    return messages


# --- messages ---------------------------------------------------------------------------------


# No savepoint: a send calls both inside its own transaction, where one would cost two more
# statements, and an error here fails the whole send anyway.
@transaction.atomic(savepoint=False)
def message_append_user(*, conversation: Conversation, text: str) -> Message:
    """Store the user's message after the current leaf and make it the leaf; the first one names
    the conversation unless its owner renamed it."""
    return message_add_user(
        conversation=conversation,
        parent_id=conversation.current_leaf_id,
        content=[{"type": "text", "text": text}],
    )


@transaction.atomic(savepoint=False)
def message_add_user(
    *, conversation: Conversation, parent_id: int | None, content: list[dict[str, Any]]
) -> Message:
    """Store a user turn under ``parent_id`` (the current leaf, or an edited message's parent:
    a new branch) and make it the leaf; the first one names the conversation unless its owner
    renamed it."""
    message = _new_user_message(conversation=conversation, parent_id=parent_id, content=content)
    conversation.current_leaf = message
    conversation.save(
        update_fields=["current_leaf", "updated_at", *_named_by(conversation, message)]
    )
    return message


@transaction.atomic(savepoint=False)
def message_start_assistant(
    *, conversation: Conversation, parent: Message, provider_slug: str, model: str
) -> Message:
    """The empty answer a generation is about to write, made the conversation's leaf."""
    message = _new_answer(
        conversation=conversation, parent=parent, provider_slug=provider_slug, model=model
    )
    conversation.current_leaf = message
    conversation.save(update_fields=["current_leaf", "updated_at"])
    return message


@transaction.atomic(savepoint=False)
def message_add_exchange(
    *,
    conversation: Conversation,
    parent_id: int | None,
    content: list[dict[str, Any]],
    provider_slug: str,
    model: str,
) -> tuple[Message, Message]:
    """``message_add_user`` then ``message_start_assistant`` under it, with one write of the
    conversation instead of two: the user's turn and the empty answer, which becomes the leaf."""
    question = _new_user_message(conversation=conversation, parent_id=parent_id, content=content)
    answer = _new_answer(
        conversation=conversation, parent=question, provider_slug=provider_slug, model=model
    )
    conversation.current_leaf = answer
    conversation.save(
        update_fields=["current_leaf", "updated_at", *_named_by(conversation, question)]
    )
    return question, answer


def _new_user_message(
    *, conversation: Conversation, parent_id: int | None, content: list[dict[str, Any]]
) -> Message:
    return Message.objects.create(
        conversation=conversation, parent_id=parent_id, role=Message.Role.USER, content=content
    )


def _new_answer(
    *, conversation: Conversation, parent: Message, provider_slug: str, model: str
) -> Message:
    return Message.objects.create(
        conversation=conversation,
        parent=parent,
        role=Message.Role.ASSISTANT,
        content=[],
        state=Message.State.STREAMING,
        provider=provider_slug,
        model=model,
        runner=process_name(),  # the generation runs where the answer is created
    )


def _named_by(conversation: Conversation, message: Message) -> list[str]:
    """The first user message names the conversation, unless its owner renamed it: the fields
    that then changed."""
    if conversation.title_is_auto and not conversation.title:
        conversation.title = automatic_title(message_text(message.content))
        return ["title"]
    return []


# --- branches -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Branch:
    """Where a message stands among its siblings (the same parent): ``index`` of ``count``, from
    1, oldest first, and the siblings before and after it."""

    index: int
    count: int
    previous_id: int | None
    next_id: int | None


def branches_of(messages: Iterable[Message]) -> dict[int, Branch]:
    """Message id -> its place among its siblings, for every message that has siblings."""
    siblings: dict[int | None, list[Message]] = defaultdict(list)
    for message in messages:
        siblings[message.parent_id].append(message)
    places: dict[int, Branch] = {}
    for group in siblings.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda m: (m.created_at, m.pk))
        for position, message in enumerate(group):
            places[message.pk] = Branch(
                index=position + 1,
                count=len(group),
                previous_id=group[position - 1].pk if position else None,
                next_id=group[position + 1].pk if position + 1 < len(group) else None,
            )
    return places


def message_branch(*, message: Message) -> Branch | None:
    """``message``'s place among its siblings; None when it has none."""
    siblings = Message.objects.filter(
        conversation_id=message.conversation_id, parent_id=message.parent_id
    ).only("pk", "parent_id", "created_at")
    return branches_of(siblings).get(message.pk)


def conversation_switch_branch(*, conversation: Conversation, message: Message) -> Message:
    """Show the branch that goes through ``message``: the leaf becomes the newest message under
    it (the newest of a subtree is always a leaf, since answers come after their questions),
    that is the branch last worked on there. The new leaf."""
    children: dict[int | None, list[Message]] = defaultdict(list)
    for candidate in conversation.messages.only("pk", "parent_id", "created_at"):
        children[candidate.parent_id].append(candidate)
    newest, stack = message, [message]
    while stack:
        for child in children.get(stack.pop().pk, []):
            if (child.created_at, child.pk) > (newest.created_at, newest.pk):
                newest = child
            stack.append(child)
    conversation.current_leaf_id = newest.pk
    conversation.save(update_fields=["current_leaf", "updated_at"])
    return newest


def message_text(content: list[dict[str, Any]] | str) -> str:
    """The text blocks of a message's content, joined (thinking and tool calls left out)."""
    if isinstance(content, str):
        return content
    return "\n\n".join(b["text"] for b in content if b.get("type") == "text" and b.get("text"))


def automatic_title(text: str) -> str:
    """The first line of ``text``, shortened to about TITLE_CHARS at a word boundary."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    line = " ".join(line.split())
    if len(line) <= TITLE_CHARS:
        return line
    cut = line[: TITLE_CHARS - 1]
    if " " in cut[TITLE_CHARS // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


# --- preferences ------------------------------------------------------------------------------


def preferences_remember(*, user: AbstractBaseUser, settings_form: RequestSettingsForm) -> None:
    """Make the (valid) form's settings what the user's next "New chat" starts from."""
    # One INSERT … ON CONFLICT DO UPDATE: every send calls this, and update_or_create takes
    # five statements (two savepoints, a locking read, the write).
    preferences = UserPreferences(
        user=user,
        provider=settings_form.provider.slug,
        api_key=settings_form.api_key,
        settings=settings_form.settings_json(),
    )
    UserPreferences.objects.bulk_create(
        [preferences],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["provider", "api_key", "settings", "updated_at"],
    )


# --- async twins, for the consumer and the generation -------------------------------------------

aconversation_get_for_user = database_sync_to_async(conversation_get_for_user)
aconversation_create = database_sync_to_async(conversation_create)
aconversation_update_settings = database_sync_to_async(conversation_update_settings)
aconversation_path = database_sync_to_async(conversation_path)
aconversation_request_messages = database_sync_to_async(conversation_request_messages)
amessage_append_user = database_sync_to_async(message_append_user)
amessage_add_user = database_sync_to_async(message_add_user)
amessage_start_assistant = database_sync_to_async(message_start_assistant)
apreferences_remember = database_sync_to_async(preferences_remember)
