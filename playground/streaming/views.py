"""One answer rendered as the page renders it, for the browser to fetch once it has finished.

The last frame of a generation asks for this instead of carrying the finished answer's markdown
over the websocket, so that each answer's text crosses the socket once (as escaped deltas). The
answer comes with its place among its siblings (a regenerated answer shows "2 / 2"), and, when it
is the conversation's last message, the compose area's boxes for the tool calls it waits on.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string

from playground.conversations.models import Message
from playground.conversations.presentation import message_context
from playground.conversations.services import message_branch, message_get_for_user
from playground.conversations.tool_loop import pending_tool_calls
from playground.streaming import fragments
from playground.streaming.fragments import MESSAGE_TEMPLATE


def _get_message_for_user(request: HttpRequest, message_id: int) -> Message:
    return message_get_for_user(user=request.user, message_id=message_id)


def message_fragment(request: HttpRequest, message_id: int) -> HttpResponse:
    # The owner check comes first, so that someone else's id is a 404 whatever the method.
    message = _get_message_for_user(request, message_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    context = message_context(message, branch=message_branch(message=message))
    html = render_to_string(MESSAGE_TEMPLATE, context, request=request)
    if message.conversation.current_leaf_id == message.pk:
        html += fragments.tool_results(calls=pending_tool_calls(message))
    return HttpResponse(html)
