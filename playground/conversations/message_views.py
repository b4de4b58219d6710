"""Views about one message: inspect an answer, show the branch that goes through a message.

Both look the message up among the signed-in user's conversations before anything else, so that
someone else's id is a 404 whatever the method. Starting a generation is not done here: edits and
regenerations go through the page's websocket, like sends.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django_htmx.http import reswap

from playground.accounts.partials import render_page_or_fragment, wants_fragment
from playground.accounts.providers import providers_for_user
from playground.conversations import services
from playground.conversations.inspector import inspection_of
from playground.conversations.models import Message
from playground.conversations.presentation import shown_conversation

PAGE = "conversations/page.html"
STREAMING_REFUSAL = (
    "An answer is still streaming in this conversation: wait for it to finish, or stop it, "
    "then switch branches."
)


def _get_message_for_user(request: HttpRequest, message_id: int) -> Message:
    return services.message_get_for_user(user=request.user, message_id=message_id)


def message_inspect(request: HttpRequest, message_id: int) -> HttpResponse:
    """An answer's request (headers with the key masked), response and stream timeline."""
    message = _get_message_for_user(request, message_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    provider = providers_for_user(request.user).get(message.provider)
    context = {
        "message": message,
        "inspection": inspection_of(message),
        "messages_url": provider.messages_url() if provider else "",
    }
    return render_page_or_fragment(
        request, "conversations/inspect.html", context, fragment="inspector"
    )


def message_branch_show(request: HttpRequest, message_id: int) -> HttpResponse:
    """POST: show the branch through this message (its newest leaf becomes the current one);
    the answer is the page's message list, re-rendered."""
    message = _get_message_for_user(request, message_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    conversation = message.conversation
    streaming = conversation.messages.filter(state=Message.State.STREAMING).exists()
    if not streaming:
        services.conversation_switch_branch(conversation=conversation, message=message)
    if not wants_fragment(request):
        return redirect("conversation", conversation_id=conversation.pk)
    _, contexts, tool_calls = shown_conversation(conversation)
    context = {
        "path_messages": contexts,
        "tool_calls": tool_calls,
        "conversation": conversation,
        "refusal": [STREAMING_REFUSAL] if streaming else [],
    }
    response = render(request, "conversations/_branch_shown.html", context)
    return reswap(response, "none") if streaming else response
