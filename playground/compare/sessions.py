"""Business functions for compare sessions and their lanes; views and the consumer call these.

Every lookup by id is for the signed-in user and raises 404 for anything not theirs. A session
has 2 to 4 lanes (one may go below 2 by continuing in the playground; sending still works, and
"Add lane" brings it back).
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.http import Http404

from playground.compare.lane_settings import VARIABLE_FIELDS, base_data, lane_data
from playground.compare.models import CompareSession, Lane
from playground.conversations.forms import RequestSettingsForm
from playground.conversations.models import Conversation
from playground.conversations.services import automatic_title

MIN_LANES = 2
MAX_LANES = 4
DEFAULT_MODELS = ("deepseek-v4-flash", "deepseek-v4-pro")
SIDEBAR_LIMIT = 100


class LaneRefused(Exception):
    """A lane change the rules do not allow; the message says why, for the page."""


def compare_get_for_user(*, user: AbstractBaseUser, compare_id: int) -> CompareSession:
    session = CompareSession.objects.filter(user=user, pk=compare_id).first()
    if session is None:
        raise Http404("No such comparison.")
    return session


def lane_get_for_user(*, user: AbstractBaseUser, lane_id: int) -> Lane:
    lane = Lane.objects.select_related("session").filter(session__user=user, pk=lane_id).first()
    if lane is None:
        raise Http404("No such lane.")
    return lane


def compare_lanes(*, session: CompareSession) -> list[Lane]:
    return list(session.lanes.select_related("conversation").order_by("position", "id"))


def compare_recent(*, user: AbstractBaseUser) -> list[CompareSession]:
    """The user's sessions with at least one prompt sent, newest first (the sidebar)."""
    sessions = CompareSession.objects.filter(user=user).exclude(title="")
    return list(sessions.order_by("-updated_at", "-id")[:SIDEBAR_LIMIT])


@transaction.atomic
def compare_draft(*, user: AbstractBaseUser) -> CompareSession:
    """The session ``/compare/`` shows: the user's newest one not sent yet, or a new one."""
    draft = CompareSession.objects.filter(user=user, title="").order_by("-id").first()
    return draft or compare_create(user=user)


@transaction.atomic
def compare_create(*, user: AbstractBaseUser) -> CompareSession:
    """A new session: the user's last settings on the Simulator, flash against pro."""
    initial = RequestSettingsForm.from_preferences(user=user).initial
    saved = {k: v for k, v in initial.items() if k not in ("provider", "api_key")}
    session = CompareSession.objects.create(user=user, provider="simulator", settings=saved)
    for model in DEFAULT_MODELS:
        _lane_create(session=session, overrides={"model": model})
    return session


def compare_start_turn(*, session: CompareSession, prompt: str) -> None:
    """A prompt was sent: the first one names the session; either way it is the newest."""
    if not session.title:
        session.title = automatic_title(prompt) or "Untitled comparison"
    session.save(update_fields=["title", "updated_at"])


@transaction.atomic
def lane_add(*, session: CompareSession, overrides: dict | None = None) -> Lane:
    """A new lane at the end, varying the same fields as the last lane, with the base values
    (``overrides`` given: exactly those)."""
    lanes = compare_lanes(session=session)
    if len(lanes) >= MAX_LANES:
        raise LaneRefused(f"A comparison has at most {MAX_LANES} lanes: remove one first.")
    if overrides is None:
        base = base_data(session)
        varied = lanes[-1].overrides if lanes else {}
        overrides = {name: base.get(name) for name in varied if name in VARIABLE_FIELDS}
    return _lane_create(session=session, overrides=overrides)


def lane_duplicate(*, lane: Lane) -> Lane:
    return lane_add(session=lane.session, overrides=dict(lane.overrides))


@transaction.atomic
def lane_remove(*, lane: Lane) -> None:
    """Remove the lane and its conversation; the others are numbered again from 1."""
    if lane.session.lanes.count() <= MIN_LANES:
        raise LaneRefused(f"A comparison needs at least {MIN_LANES} lanes.")
    session = lane.session
    lane.conversation.delete()  # the lane goes with it
    _renumber(session)


@transaction.atomic
def lane_continue(*, lane: Lane) -> Conversation:
    """Make the lane's conversation a normal one (shown in the playground), history and all."""
    conversation = lane.conversation
    session = lane.session
    lane.delete()
    _renumber(session)
    conversation.save(update_fields=["updated_at"])  # first in the playground's sidebar
    return conversation


def lane_vary(*, lane: Lane, field: str) -> None:
    """The lane now sets ``field`` itself, starting from the value it had."""
    if field not in VARIABLE_FIELDS or field in lane.overrides:
        return
    lane.overrides = {**lane.overrides, field: lane_data(lane.session, lane).get(field)}
    lane.save(update_fields=["overrides"])


def lane_unvary(*, lane: Lane, field: str) -> None:
    """The lane takes ``field`` from the base settings again."""
    if field in lane.overrides:
        lane.overrides = {k: v for k, v in lane.overrides.items() if k != field}
        lane.save(update_fields=["overrides"])


@transaction.atomic
def setting_copy_to_all(*, lane: Lane, field: str) -> None:
    """Every lane gets this lane's value of ``field``: it goes to the base, overrides go."""
    if field not in VARIABLE_FIELDS:
        return
    session = lane.session
    value = lane_data(session, lane).get(field)
    if field == "provider":
        session.provider = str(value)
    elif field == "api_key":
        session.api_key = (
            session.user.api_keys.filter(pk=int(value)).first() if (str(value).isdigit()) else None
        )
    else:
        session.settings = {**session.settings, field: value}
    session.save()
    for other in compare_lanes(session=session):
        lane_unvary(lane=other, field=field)


def _lane_create(*, session: CompareSession, overrides: dict) -> Lane:
    conversation = Conversation.objects.create(user=session.user, provider=session.provider)
    position = (session.lanes.aggregate(last=Max("position"))["last"] or 0) + 1
    return Lane.objects.create(
        session=session, position=position, overrides=overrides, conversation=conversation
    )


def _renumber(session: CompareSession) -> None:
    for number, lane in enumerate(session.lanes.order_by("position", "id"), start=1):
        if lane.position != number:
            lane.position = number
            lane.save(update_fields=["position"])
