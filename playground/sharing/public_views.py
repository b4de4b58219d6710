"""What a share link opens, for anyone holding it: the read-only page, its finished answers, Fork.

Each view looks the link up by its token before anything else (an unknown, revoked or expired
token is a 404 whatever the method) and answers ``X-Robots-Tag: noindex`` and ``no-store``, so
that neither search engines nor caches keep what a revoked link showed. A comparison's link
opens its own page (``public_compare``); its finished answers come from ``share_message`` too.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

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
from playground.sharing.public_compare import compare_page


@login_not_required
@not_for_robots
def share_page(request: HttpRequest, token: str) -> HttpResponse:
    link = services.share_get_open(token=token)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if link.compare_session_id is not None:
        return compare_page(request, link=link, token=token)
    path = services.share_path(link=link)
    services.share_record_view(link=link)
    conversation = link.conversation
    settings = services.share_settings(link=link)
    live = link.mode == ShareLink.Mode.LIVE
    shown_up_to = max((message.pk for message in path), default=0)
    context = {
        "token": token,
        "link": link,
        "title": conversation.title or "Shared conversation",
        "description": description(path, fallback="A conversation shared from Playground."),
        "live": live,
        "ws_url": f"/ws/s/{token}/?after={shown_up_to}" if live else "",
        "messages_html": [message_html(message) for message in path],
        "provider_name": provider_name(conversation.provider),
        "settings_rows": settings_summary(settings),
        "system": settings.get("system") or "",
    }
    return render(request, "sharing/share_page.html", context)


@login_not_required
@not_for_robots
def share_message(request: HttpRequest, token: str, message_id: int) -> HttpResponse:
    """A finished answer, fetched once by the share page when its last frame arrives; only
    messages the link shows (never another branch, never after a snapshot's end, never a
    message of a conversation that is not one of a shared comparison's lanes)."""
    link = services.share_get_open(token=token)
    message = next((m for m in services.share_path(link=link) if m.pk == message_id), None)
    if message is None:
        raise Http404("No such message.")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return HttpResponse(message_html(message))


@not_for_robots
def share_fork(request: HttpRequest, token: str) -> HttpResponse:
    """POST: copy what the link shows into a new conversation of the signed-in visitor's (a
    comparison's lanes are forked one by one: ``public_compare.share_lane_fork``)."""
    link = services.share_get_open(token=token)
    if link.conversation is None:
        raise Http404("A comparison is forked lane by lane.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    conversation = services.conversation_fork(link=link, user=request.user)
    messages.success(request, FORKED)
    return redirect(reverse("conversation", kwargs={"conversation_id": conversation.pk}))
