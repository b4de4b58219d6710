"""A comparison whose lanes have answered, stored as a finished generation stores answers."""

from __future__ import annotations

from typing import Any

from playground.compare.models import CompareSession, Lane
from playground.compare.sessions import compare_create
from playground.conversations.models import Message


def answer_in(lane: Lane, text: str, *, prompt: str = "Hello", **measures: Any) -> Message:
    conversation = lane.conversation
    question = Message.objects.create(
        conversation=conversation,
        parent=conversation.current_leaf,
        role=Message.Role.USER,
        content=[{"type": "text", "text": prompt}],
    )
    answer = Message.objects.create(
        conversation=conversation,
        parent=question,
        role=Message.Role.ASSISTANT,
        content=[{"type": "text", "text": text}],
        model=lane.overrides.get("model", "deepseek-v4-flash"),
        stop_reason="end_turn",
        **measures,
    )
    conversation.current_leaf = answer
    conversation.save()
    return answer


def answered_comparison(user, *texts: str, **measures: Any) -> CompareSession:
    session = compare_create(user=user)
    for lane, text in zip(session.lanes.order_by("position"), texts, strict=True):
        answer_in(lane, text, **measures)
    session.title = "Hello"
    session.save()
    return session
