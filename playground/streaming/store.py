"""What generations write to the database, and what the limits and viewers read from it.

A generation writes a streaming answer's partial content at most every checkpoint interval, and
at least every ``HEARTBEAT_SECONDS`` (so that ``updated_at`` proves it is alive), each time only
if the answer is still streaming (``playground.streaming.checkpoints`` gathers the checkpoints
of a process's answers into one database trip); then its final state once. An answer left
``streaming`` by a process that went away stops being refreshed: after ``STALE_AFTER_SECONDS`` it
counts as interrupted, which is what viewers see and what frees its place under the per-user
limit. Each serving process also sweeps for such answers every heartbeat, and at its start marks
those its own previous life left behind (``playground.cluster.duties``). Both intervals are
settings.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from playground.cluster.identity import process_name
from playground.conversations.models import Conversation, Message
from playground.conversations.presentation import message_context

logger = logging.getLogger("playground.streaming")

HEARTBEAT_SECONDS = settings.PLAYGROUND_HEARTBEAT_SECONDS
STALE_AFTER_SECONDS = settings.PLAYGROUND_STALE_AFTER_SECONDS
RECENTLY_ENDED_SECONDS = 10.0

# Sent on the database thread after each trip of ``checkpoints_write``, with ``checkpoints`` and
# their ``outcomes`` (as returned): what a receiver counting database trips per answer listens to.
checkpoints_written = Signal()


@dataclass(frozen=True)
class StoredAnswer:
    """What the database knows of an answer: its state, its checkpointed frame, its context."""

    conversation_id: int
    state: str
    seq: int
    context: dict[str, Any]
    question_id: int | None = None  # the user message it answers
    question_context: dict[str, Any] | None = None


@dataclass(frozen=True, kw_only=True)
class Checkpoint:
    """An answer's partial content as of frame ``seq``."""

    message_id: int
    content: list[dict[str, Any]]
    seq: int


# What became of one checkpoint: written, written after a sweep took the answer for stale, not
# written because the answer no longer streams, or the error that kept it from being written.
_Outcome = Literal["saved", "taken back", "gone"] | Exception


def checkpoints_write(*, checkpoints: Sequence[Checkpoint]) -> list[bool | Exception]:
    """Save each partial answer, all in one transaction; for each, in order: True if saved, False
    if it is no longer streaming (stopped from another process, or its conversation deleted), or
    the error that kept it from being saved.

    An answer this process runs that a sweep found stale (this process was too busy to save it
    in time, not gone) is taken back: it is streaming again, and its viewers are told.
    If the transaction fails, each answer is tried again in its own, so that one answer's fault
    costs the others nothing."""
    runner = process_name()
    try:
        with transaction.atomic():
            outcomes: list[_Outcome] = [
                _checkpoint_write(checkpoint, runner=runner) for checkpoint in checkpoints
            ]
    except Exception as error:
        if len(checkpoints) == 1:
            outcomes = [error]
        else:
            logger.warning(
                "a batch of %d checkpoints failed; writing them one by one",
                len(checkpoints),
                exc_info=True,
            )
            outcomes = [_checkpoint_write_alone(c, runner=runner) for c in checkpoints]
    for checkpoint, outcome in zip(checkpoints, outcomes, strict=True):
        if outcome == "taken back":  # logged once committed
            logger.warning(
                "answer %s was taken for stale while this process still ran it",
                checkpoint.message_id,
            )
    results = [
        outcome if isinstance(outcome, Exception) else outcome != "gone" for outcome in outcomes
    ]
    checkpoints_written.send(sender=Checkpoint, checkpoints=checkpoints, outcomes=results)
    return results


def _checkpoint_write(checkpoint: Checkpoint, *, runner: str) -> _Outcome:
    answer = Message.objects.filter(pk=checkpoint.message_id)
    fields = {"content": checkpoint.content, "seq": checkpoint.seq, "updated_at": timezone.now()}
    if answer.filter(state=Message.State.STREAMING).update(**fields):
        return "saved"
    swept = answer.filter(state=Message.State.INTERRUPTED, runner=runner)
    if swept.update(state=Message.State.STREAMING, **fields):
        return "taken back"
    return "gone"


def _checkpoint_write_alone(checkpoint: Checkpoint, *, runner: str) -> _Outcome:
    try:
        with transaction.atomic():
            return _checkpoint_write(checkpoint, runner=runner)
    except Exception as error:
        return error


async def answer_finish(*, message_id: int, fields: dict[str, Any]) -> None:
    """The one final write: state, content and everything measured (whatever the state was, since
    the generation that writes it is the one that knows)."""
    await Message.objects.filter(pk=message_id).aupdate(**fields, updated_at=timezone.now())


def stale_interrupt(
    messages: QuerySet[Message], *, running: frozenset[int]
) -> list[tuple[int, int]]:
    """Mark as interrupted the streaming answers among ``messages`` that no live process has
    refreshed for a while (``running``: this process's own, never stale); the (answer,
    conversation) ids of those it interrupted."""
    cutoff = timezone.now() - timedelta(seconds=STALE_AFTER_SECONDS)
    return _interrupt(messages.filter(updated_at__lt=cutoff), running=running)


def stale_sweep(*, running: frozenset[int]) -> list[tuple[int, int]]:
    """``stale_interrupt`` over every answer."""
    return stale_interrupt(Message.objects.all(), running=running)


def orphans_interrupt(*, runner: str, running: frozenset[int]) -> list[tuple[int, int]]:
    """Mark as interrupted the answers a process named ``runner`` left streaming in an earlier
    life (``running``: the ones this life already writes); the (answer, conversation) ids."""
    return _interrupt(Message.objects.filter(runner=runner), running=running)


def _interrupt(answers: QuerySet[Message], *, running: frozenset[int]) -> list[tuple[int, int]]:
    """The streaming ``answers`` but this process's own, marked interrupted; the (answer,
    conversation) ids of those that still streamed when marked."""
    found = answers.filter(state=Message.State.STREAMING).exclude(pk__in=running)
    pairs = list(found.values_list("pk", "conversation_id"))
    if not pairs:
        return pairs
    ids = [pk for pk, _ in pairs]
    marked = Message.objects.filter(pk__in=ids, state=Message.State.STREAMING).update(
        state=Message.State.INTERRUPTED, updated_at=timezone.now()
    )
    if marked == len(pairs):
        return pairs
    # Some ended between the look-up and the update: only those marked here count.
    interrupted = Message.objects.filter(pk__in=ids, state=Message.State.INTERRUPTED)
    return list(interrupted.values_list("pk", "conversation_id"))


async def streaming_runner(*, message_id: int, conversation_id: int) -> str | None:
    """The process that writes this answer ("" if unknown); None if it is not streaming."""
    answers = Message.objects.filter(
        pk=message_id, conversation_id=conversation_id, state=Message.State.STREAMING
    )
    return await answers.values_list("runner", flat=True).afirst()


async def answer_mark_stopped(*, message_id: int, conversation_id: int) -> bool:
    """Stop a streaming answer in the database only (its generation, if any is left, notices at
    its next checkpoint); False if it was no longer streaming."""
    answers = Message.objects.filter(
        pk=message_id, conversation_id=conversation_id, state=Message.State.STREAMING
    )
    return bool(await answers.aupdate(state=Message.State.STOPPED, updated_at=timezone.now()))


def conversation_live_ids(*, conversation_id: int) -> list[int]:
    """Answers a page just rendered may show wrongly: those still streaming, and those that ended
    in the last ``RECENTLY_ENDED_SECONDS`` (maybe after the page was rendered, before its socket
    joined the conversation's group, so that their last frame never reached it). Only those on
    the branch the page shows: an answer just regenerated or edited away is not on the page."""
    recently = timezone.now() - timedelta(seconds=RECENTLY_ENDED_SECONDS)
    answers = Message.objects.filter(conversation_id=conversation_id, role=Message.Role.ASSISTANT)
    live = answers.filter(Q(state=Message.State.STREAMING) | Q(updated_at__gte=recently))
    live_ids = list(live.values_list("pk", flat=True))
    if not live_ids:
        return live_ids
    shown = _current_path_ids(conversation_id)
    return [pk for pk in live_ids if pk in shown]


def _current_path_ids(conversation_id: int) -> set[int]:
    leaf = Conversation.objects.filter(pk=conversation_id).values_list("current_leaf_id", flat=True)
    parents = dict(
        Message.objects.filter(conversation_id=conversation_id).values_list("pk", "parent_id")
    )
    path, message_id = set(), leaf.first()
    while message_id is not None and message_id not in path:
        path.add(message_id)
        message_id = parents.get(message_id)
    return path


def stored_answer(*, message_id: int, conversation_ids: Collection[int]) -> StoredAnswer | None:
    """The answer as stored, with its template context; None if it is in none of those
    conversations (the ones the asking socket watches)."""
    message = (
        Message.objects.select_related("parent")
        .filter(pk=message_id, conversation_id__in=list(conversation_ids))
        .first()
    )
    if message is None:
        return None
    question = (
        message.parent if message.parent and message.parent.role == Message.Role.USER else None
    )
    return StoredAnswer(
        conversation_id=message.conversation_id,
        state=message.state,
        seq=message.seq,
        context=message_context(message),
        question_id=question.pk if question else None,
        question_context=message_context(question) if question else None,
    )


acheckpoints_write = database_sync_to_async(checkpoints_write)
astale_interrupt = database_sync_to_async(stale_interrupt)
astale_sweep = database_sync_to_async(stale_sweep)
aorphans_interrupt = database_sync_to_async(orphans_interrupt)
aconversation_live_ids = database_sync_to_async(conversation_live_ids)
astored_answer = database_sync_to_async(stored_answer)
