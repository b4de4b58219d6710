"""One prompt to every lane: each lane's turn goes through the playground's ``message_send``
(validation, limits, the stored turn, the generation's spec), so that a lane is a conversation
like any other. A lane that is refused says why in its own region; the others go.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.template.loader import render_to_string
from django.urls import reverse

from playground.compare.lane_settings import base_data, lane_data, settings_save
from playground.compare.models import CompareSession, Lane
from playground.compare.presentation import feedback_html
from playground.compare.sessions import compare_lanes, compare_start_turn
from playground.conversations.forms import ComposeForm
from playground.streaming import fragments
from playground.streaming.sending import Accepted, Refusal, message_retry, message_send


@dataclass(frozen=True)
class CompareSent:
    """What a send did, lane by lane, and the reply the page needs (errors, emptied box)."""

    conversation_ids: list[int]  # every lane's, for the socket to watch
    accepted: list[Accepted]
    reply: str


def compare_send(
    *, user: AbstractBaseUser, compare_id: int, data: Mapping[str, Any], running: frozenset[int]
) -> CompareSent | None:
    """Store the settings the page sent, then send its prompt in every lane; None if the
    session is not the user's."""
    session = CompareSession.objects.filter(user=user, pk=compare_id).first()
    if session is None:
        return None
    lanes = compare_lanes(session=session)
    settings_save(session=session, lanes=lanes, data=data)
    prompt = data.get("message")
    compose_form = ComposeForm(data={"message": prompt})
    if not compose_form.is_valid():
        reply = feedback_html(user=user, session=session, compose_form=compose_form)
        return CompareSent(conversation_ids=_ids(lanes), accepted=[], reply=reply)
    base = base_data(session)
    accepted: list[Accepted] = []
    problems: dict[int, list[str]] = {}
    for lane in lanes:
        outcome = message_send(
            user=user,
            conversation_id=lane.conversation_id,
            data={**lane_data(session, lane, base=base), "message": prompt},
            running=running,
            remember=False,  # "New chat" keeps starting from the playground's last settings
        )
        if isinstance(outcome, Refusal):
            problems[lane.pk] = _refusal_words(outcome)
        else:
            accepted.append(outcome)
    extra = ""
    if accepted:
        first = not session.title
        compare_start_turn(session=session, prompt=compose_form.cleaned_data["message"])
        extra = fragments.message_box()
        if first:
            extra += _session_started(session)
    reply = feedback_html(
        user=user,
        session=session,
        lane_problems=problems,
        compose_form=ComposeForm(),
        extra_html=extra,
    )
    return CompareSent(conversation_ids=_ids(lanes), accepted=accepted, reply=reply)


def compare_retry(
    *, user: AbstractBaseUser, lane: Lane, message_id: int, running: frozenset[int]
) -> tuple[Accepted | None, str]:
    """Answer a lane's failed answer again, as the playground's Retry does; the reply shows a
    refusal in the lane."""
    outcome = message_retry(
        user=user, conversation_id=lane.conversation_id, message_id=message_id, running=running
    )
    if isinstance(outcome, Accepted):
        return outcome, ""
    reply = feedback_html(
        user=user, session=lane.session, lane_problems={lane.pk: _refusal_words(outcome)}
    )
    return None, reply


def _refusal_words(refusal: Refusal) -> list[str]:
    """A lane's refusal as sentences: field errors are shown by the lane's and the base's
    containers already, so only what is not about a field is added here."""
    words = [refusal.message] if refusal.message else []
    return words + list(refusal.extra_errors)


def _session_started(session: CompareSession) -> str:
    url = reverse("compare_session", kwargs={"compare_id": session.pk})
    return render_to_string("compare/_started.html", {"session": session, "url": url})


def _ids(lanes: list[Lane]) -> list[int]:
    return [lane.conversation_id for lane in lanes]
