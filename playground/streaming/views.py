"""One answer rendered as the page renders it, for the browser to fetch once it has finished.

The last frame of a generation asks for this instead of carrying the finished answer's markdown
over the websocket, so that each answer's text crosses the socket once (as escaped deltas).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

from playground.conversations.models import Message
from playground.conversations.presentation import message_context
from playground.streaming.fragments import MESSAGE_TEMPLATE


def _get_message_for_user(request: HttpRequest, message_id: int) -> Message:
    message = Message.objects.filter(pk=message_id, conversation__user=request.user).first()
    if message is None:
        raise Http404("No such message.")
    return message


def message_fragment(request: HttpRequest, message_id: int) -> HttpResponse:
    # The owner check comes first, so that someone else's id is a 404 whatever the method.
    message = _get_message_for_user(request, message_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, MESSAGE_TEMPLATE, message_context(message))
