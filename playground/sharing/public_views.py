"""What a share link opens, for anyone holding it: the read-only page, its finished answers, Fork.

Each view looks the link up by its token before anything else (an unknown, revoked or expired
token is a 404 whatever the method) and answers ``X-Robots-Tag: noindex`` and ``no-store``, so
that neither search engines nor caches keep what a revoked link showed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from playground.accounts.providers import builtins_from_settings, is_builtin
from playground.conversations.models import Message
from playground.conversations.presentation import message_context
from playground.conversations.services import message_text
from playground.conversations.transfer import settings_summary
from playground.sharing import services
from playground.sharing.models import ShareLink
from playground.streaming.fragments import MESSAGE_TEMPLATE

DESCRIPTION_CHARS = 200


def _not_for_robots(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        add_never_cache_headers(response)
        return response

    return wrapped


def message_html(message: Message) -> str:
    """One message as the playground renders it (its action buttons are hidden by the page)."""
    context = message_context(message)
    # No editing here; ``read_only`` tells the templates so, for what they choose to hide.
    context.update(editable_text=None, branch=None, read_only=True)
    return render_to_string(MESSAGE_TEMPLATE, context)


@login_not_required
@_not_for_robots
def share_page(request: HttpRequest, token: str) -> HttpResponse:
    link = services.share_get_open(token=token)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
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
        "description": _description(path),
        "live": live,
        "ws_url": f"/ws/s/{token}/?after={shown_up_to}" if live else "",
        "messages_html": [message_html(message) for message in path],
        "provider_name": _provider_name(conversation.provider),
        "settings_rows": settings_summary(settings),
        "system": settings.get("system") or "",
    }
    return render(request, "sharing/share_page.html", context)


@login_not_required
@_not_for_robots
def share_message(request: HttpRequest, token: str, message_id: int) -> HttpResponse:
    """A finished answer, fetched once by the share page when its last frame arrives; only
    messages the link shows (never another branch, never after a snapshot's end)."""
    link = services.share_get_open(token=token)
    message = next((m for m in services.share_path(link=link) if m.pk == message_id), None)
    if message is None:
        raise Http404("No such message.")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return HttpResponse(message_html(message))


@_not_for_robots
def share_fork(request: HttpRequest, token: str) -> HttpResponse:
    """POST: copy what the link shows into a new conversation of the signed-in visitor's."""
    link = services.share_get_open(token=token)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    conversation = services.conversation_fork(link=link, user=request.user)
    messages.success(
        request,
        "Forked: this copy is yours to continue. It has no API key: choose yours in the settings "
        "if its provider needs one.",
    )
    return redirect(reverse("conversation", kwargs={"conversation_id": conversation.pk}))


def _description(path: list[Message]) -> str:
    """The first question, shortened: what a link preview shows under the title."""
    first = next((m for m in path if m.role == Message.Role.USER), None)
    text = " ".join(message_text(first.content).split()) if first else ""
    if len(text) > DESCRIPTION_CHARS:
        text = text[: DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text or "A conversation shared from Playground."


def _provider_name(slug: str) -> str:
    """A built-in provider by name; a custom endpoint only as such (its name is its owner's)."""
    if is_builtin(slug):
        return builtins_from_settings()[slug].name
    return "A custom endpoint"
