"""A shared comparison, for anyone holding its link: the lanes side by side, read-only and live,
each with its label, its conversation's current path and the settings its answers were made
with; "what differs"; and Fork, lane by lane, for a signed-in visitor.

The settings shown are what the lanes' answers were made with (each lane conversation's, saved
at its last send), never a key, and a system prompt only when the owner chose to show it: when
not, lanes that vary it are told apart as "prompt 1", "prompt 2"... A lane that has not answered
yet shows the settings it would send.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from playground.compare.differences import Difference, differs_line, lane_differences, lane_labels
from playground.compare.lane_settings import lane_data
from playground.compare.models import Lane
from playground.conversations.forms import SETTINGS_FIELDS
from playground.conversations.models import Message
from playground.conversations.services import conversation_path
from playground.conversations.transfer import settings_summary
from playground.sharing import services
from playground.sharing.models import ShareLink
from playground.sharing.presentation import (
    FORKED,
    description,
    message_html,
    not_for_robots,
    provider_name,
)

PAGE = "sharing/share_compare_page.html"


@dataclass(frozen=True)
class SharedLane:
    lane: Lane
    number: int
    label: str
    messages: list[str]  # rendered
    provider_name: str
    settings_rows: list[tuple[str, str]]
    system: str  # "" unless the link shows system prompts

    @property
    def messages_id(self) -> str:
        # The compare page's name for a lane's list: the live frames are retargeted to it.
        return f"lane-messages-{self.lane.conversation_id}"


def compare_page(request: HttpRequest, *, link: ShareLink, token: str) -> HttpResponse:
    """``/s/<token>/`` of a comparison's link (``share_page`` has checked the token)."""
    lanes = services.share_lanes(link=link)
    paths = [conversation_path(conversation=lane.conversation) for lane in lanes]
    services.share_record_view(link=link)
    shown = [message for path in paths for message in path]
    context = {
        "token": token,
        "title": link.compare_session.title or "Shared comparison",
        "description": description(shown, fallback="A comparison shared from Playground."),
        "ws_url": f"/ws/s/{token}/?after={max((m.pk for m in shown), default=0)}",
        **_lanes_context(link, lanes, paths),
    }
    return render(request, PAGE, context)


@login_not_required
@not_for_robots
def share_lane_fork(request: HttpRequest, token: str, lane_id: int) -> HttpResponse:
    """POST: copy one lane of a shared comparison into a new conversation of the signed-in
    visitor's. The link and the lane are checked first, so that a token and a lane that do not
    go together are a 404 for everyone, signed in or not."""
    link = services.share_get_open(token=token)
    lane = services.share_lane_get(link=link, lane_id=lane_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("share_page", kwargs={"token": token}))
    conversation = services.conversation_fork(
        link=link, user=request.user, conversation=lane.conversation
    )
    messages.success(request, FORKED)
    return redirect(reverse("conversation", kwargs={"conversation_id": conversation.pk}))


def _lanes_context(
    link: ShareLink, lanes: list[Lane], paths: list[list[Message]]
) -> dict[str, Any]:
    session = link.compare_session
    used = [_used(link, lane, answered=bool(path)) for lane, path in zip(lanes, paths, strict=True)]
    differences = _public(lane_differences(used, user=session.user), show_system=link.show_system)
    labels = lane_labels(differences, len(lanes))
    views = [
        SharedLane(
            lane=lane,
            number=number,
            label=label,
            messages=[message_html(message) for message in path],
            provider_name=provider_name(str(settings["provider"])),
            settings_rows=settings_summary(settings),
            system=str(settings.get("system") or "") if link.show_system else "",
        )
        for number, (lane, label, path, settings) in enumerate(
            zip(lanes, labels, paths, used, strict=True), start=1
        )
    ]
    return {"lanes": views, "differs": differs_line(differences), "show_system": link.show_system}


def _used(link: ShareLink, lane: Lane, *, answered: bool) -> dict[str, Any]:
    """The lane's settings: its conversation's once it has answered, else what it would send.
    Never its key; its system prompt is here to be compared, shown only through ``_public``
    and ``SharedLane.system``."""
    if answered:
        conversation = lane.conversation
        settings = {**conversation.settings, "provider": conversation.provider}
    else:
        data = lane_data(link.compare_session, lane)
        # As typed: a blank field is one the lane leaves unset.
        settings = {
            name: None if data.get(name) == "" else data.get(name)
            for name in (*SETTINGS_FIELDS, "provider")
        }
    return {**settings, "api_key": ""}


def _public(differences: list[Difference], *, show_system: bool) -> list[Difference]:
    """What differs, as a visitor may read it: providers by their public names, and system
    prompts, unless the link shows them, as "prompt 1", "prompt 2"... ("none" for no prompt)."""
    public = []
    for difference in differences:
        values = difference.values
        if difference.field == "provider":
            values = [provider_name(value) for value in values]
        elif difference.field == "system" and not show_system:
            prompts = list(dict.fromkeys(value for value in values if value != "default"))
            values = [
                f"prompt {prompts.index(value) + 1}" if value != "default" else "none"
                for value in values
            ]
        public.append(Difference(field=difference.field, values=values))
    return public
