"""What the compare page's templates need, built from a session: lanes with their compact
settings forms and messages, what differs, the requests' diff, the metrics, and the feedback
(field errors, refusals) after the settings change or a prompt is sent.

The session's read-only rendering (lanes and messages, no forms) is ``compare/_lanes.html`` with
``editable`` false, for a page that shows a session to someone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.forms import BoundField
from django.template.loader import render_to_string
from django.urls import reverse

from playground.compare.differences import (
    LaneBody,
    differs_line,
    lane_differences,
    lane_labels,
    request_bodies,
)
from playground.compare.lane_settings import VARIABLE_FIELDS, base_data, lane_data, lane_form
from playground.compare.metrics import LaneMetrics, best_lanes, lanes_metrics
from playground.compare.models import CompareSession, Lane
from playground.compare.sessions import MAX_LANES, MIN_LANES, compare_lanes, compare_recent
from playground.compare.votes import compare_turns
from playground.conversations.forms import ComposeForm, RequestSettingsForm
from playground.conversations.models import Message
from playground.conversations.presentation import message_context
from playground.conversations.services import conversation_path, message_text
from playground.streaming import fragments


@dataclass
class LaneView:
    lane: Lane
    number: int
    label: str
    form: RequestSettingsForm
    body: LaneBody
    messages: list[str] = field(default_factory=list)  # rendered
    errors: dict[str, list[str]] = field(default_factory=dict)  # by varied field
    general_errors: list[str] = field(default_factory=list)

    @property
    def varied(self) -> list[BoundField]:
        return [self.form[name] for name in VARIABLE_FIELDS if name in self.lane.overrides]

    @property
    def can_vary(self) -> list[tuple[str, str]]:
        return [
            (name, str(self.form.fields[name].label))
            for name in VARIABLE_FIELDS
            if name not in self.lane.overrides
        ]

    @property
    def messages_id(self) -> str:
        return f"lane-messages-{self.lane.conversation_id}"


@dataclass
class Overview:
    """Everything derived from the lanes' settings and answers."""

    lanes: list[LaneView]
    differs: str
    metrics: list[LaneMetrics]
    best: dict[str, set[int]]
    base_form: RequestSettingsForm


def compare_overview(
    *, user: AbstractBaseUser, session: CompareSession, messages: bool = False
) -> Overview:
    lanes = compare_lanes(session=session)
    base = base_data(session)
    datas = [lane_data(session, lane, base=base) for lane in lanes]
    differences = lane_differences(datas, user=user)
    labels = lane_labels(differences, len(lanes))
    bodies = request_bodies(user=user, datas=datas)
    views = [
        LaneView(
            lane=lane,
            number=number,
            label=label,
            form=lane_form(user=user, session=session, lane=lane),
            body=body,
            messages=_messages(lane) if messages else [],
        )
        for number, (lane, label, body) in enumerate(zip(lanes, labels, bodies, strict=True), 1)
    ]
    metrics = lanes_metrics(lanes=lanes, labels=labels)
    return Overview(
        lanes=views,
        differs=differs_line(differences),
        metrics=metrics,
        best=best_lanes(metrics),
        base_form=RequestSettingsForm(user=user, initial=base),
    )


def page_context(*, user: AbstractBaseUser, session: CompareSession) -> dict[str, Any]:
    overview = compare_overview(user=user, session=session, messages=True)
    shown = [
        message_id
        for lane in overview.lanes
        for message_id in Message.objects.filter(
            conversation_id=lane.lane.conversation_id
        ).values_list("pk", flat=True)
    ]
    return {
        **_overview_context(overview, session),
        "settings_form": overview.base_form,
        "compose_form": ComposeForm(),
        "sessions": compare_recent(user=user),
        "ws_url": f"/ws/compare/{session.pk}/?after={max(shown, default=0)}",
        "editable": True,
    }


def feedback_html(
    *,
    user: AbstractBaseUser,
    session: CompareSession,
    lane_problems: dict[int, list[str]] | None = None,
    compose_form: ComposeForm | None = None,
    extra_html: str = "",
) -> str:
    """The settings validated as sending would, shown where each error belongs (out-of-band
    swaps into the containers; no input is replaced), and what differs, re-rendered."""
    overview = compare_overview(user=user, session=session)
    base_form = RequestSettingsForm(data=base_data(session), user=user)
    base_form.is_valid()
    base_errors = set(base_form.errors)
    for view in overview.lanes:
        checked = RequestSettingsForm(data=lane_data(session, view.lane), user=user)
        checked.is_valid()
        for name, errors in checked.errors.items():
            if name in view.lane.overrides:
                view.errors[name] = list(errors)
            elif name not in base_errors:  # this lane's mix of settings breaks a rule
                view.general_errors += list(errors)
        view.general_errors += (lane_problems or {}).get(view.lane.pk, [])
    context = {
        **_overview_context(overview, session),
        "settings_form": base_form,
        "compose_form": compose_form,
        "oob": True,
    }
    return render_to_string("compare/_feedback.html", context) + extra_html


def metrics_context(*, user: AbstractBaseUser, session: CompareSession) -> dict[str, Any]:
    return _overview_context(compare_overview(user=user, session=session), session)


def lane_last_text(lane: Lane) -> str:
    """The text of the lane's last answer ("" if it has none)."""
    leaf = lane.conversation.current_leaf
    if leaf is None or leaf.role != "assistant":
        return ""
    return message_text(leaf.content)


def _overview_context(overview: Overview, session: CompareSession) -> dict[str, Any]:
    count = len(overview.lanes)
    return {
        "session": session,
        "lanes": overview.lanes,
        "differs": overview.differs,
        "metrics": overview.metrics,
        "best": overview.best,
        "turns": compare_turns(lanes=[view.lane for view in overview.lanes]),
        "can_add": count < MAX_LANES,
        "can_remove": count > MIN_LANES,
        "metrics_url": reverse("compare_metrics", kwargs={"compare_id": session.pk}),
    }


def _messages(lane: Lane) -> list[str]:
    """The lane's messages as the playground renders them (no Edit: a lane branches only once
    it is continued in the playground)."""
    return [
        fragments.message_html({**message_context(m), "editable_text": None, "oob": False})
        for m in conversation_path(conversation=lane.conversation)
    ]
