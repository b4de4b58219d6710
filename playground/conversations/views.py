"""The playground pages: a new chat at ``/``, a conversation at ``/c/<id>/``, and what the page's
htmx asks for (sidebar search, rename, delete, "check settings").

Sending and streaming go over the page's websocket (``playground.streaming``), not through these
views. Every view that takes a conversation id looks it up for the signed-in user before anything
else, so that someone else's id is a 404 whatever the method.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from playground.accounts.partials import wants_fragment
from playground.conversations import services
from playground.conversations.forms import ComposeForm, RenameForm, RequestSettingsForm
from playground.conversations.models import Conversation, Message
from playground.conversations.presentation import shown_conversation
from playground.conversations.tool_templates import TEMPLATE_LABELS, TOOL_TEMPLATES

PAGE = "conversations/page.html"


def _get_conversation_for_user(request: HttpRequest, conversation_id: int) -> Conversation:
    return services.conversation_get_for_user(user=request.user, conversation_id=conversation_id)


def _shown_conversation_id(request: HttpRequest) -> int | None:
    """The conversation the browser shows, for htmx requests from a page whose address changed
    after it loaded (a new chat becomes /c/<id>/ once its first message is sent)."""
    current = request.htmx.current_url_abs_path if request.htmx else None
    if not current:
        return None
    try:
        match = resolve(current.split("?")[0])
    except Resolver404:
        return None
    return match.kwargs.get("conversation_id") if match.url_name == "conversation" else None


def _url(conversation: Conversation) -> str:
    return reverse("conversation", kwargs={"conversation_id": conversation.pk})


def _page(
    request: HttpRequest, *, conversation: Conversation | None, settings_form: RequestSettingsForm
) -> HttpResponse:
    """The playground page, or only its sidebar list when the sidebar search asks for it."""
    query = request.GET.get("q", "")
    sidebar = {
        "conversations": services.conversation_search(user=request.user, query=query),
        "query": query,
        "current_id": conversation.pk if conversation else _shown_conversation_id(request),
    }
    if wants_fragment(request):
        return render(request, f"{PAGE}#sidebar-list", sidebar)
    path, contexts, tool_calls = shown_conversation(conversation)
    context = {
        **sidebar,
        "conversation": conversation,
        "path_messages": contexts,
        "tool_calls": tool_calls,
        "settings_form": settings_form,
        "compose_form": ComposeForm(),
        "ws_url": _ws_url(conversation, path),
        "tool_templates": TOOL_TEMPLATES,
        "template_labels": TEMPLATE_LABELS,
    }
    return render(request, PAGE, context)


@require_http_methods(["GET"])
def new_chat(request: HttpRequest) -> HttpResponse:
    """``/``: an empty chat with the settings the user last sent with."""
    settings_form = RequestSettingsForm.from_preferences(user=request.user)
    return _page(request, conversation=None, settings_form=settings_form)


def conversation_detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _get_conversation_for_user(request, conversation_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    settings_form = RequestSettingsForm.from_conversation(conversation, user=request.user)
    return _page(request, conversation=conversation, settings_form=settings_form)


@require_POST
def settings_check(request: HttpRequest) -> HttpResponse:
    """Validate the settings as sending would, and answer with the notices and field errors
    (out-of-band swaps into their containers: no input the user is typing in is replaced)."""
    settings_form = RequestSettingsForm(request.POST, user=request.user)
    settings_form.is_valid()
    return render(request, "conversations/_form_feedback.html", {"settings_form": settings_form})


def conversation_rename(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """POST renames (a blank title goes back to the automatic one); GET shows the form."""
    conversation = _get_conversation_for_user(request, conversation_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    data = request.POST if request.method == "POST" else None
    form = RenameForm(data, initial={"title": conversation.title})
    if request.method == "GET" or not form.is_valid():
        status = 200 if request.method == "GET" else 400
        context = {"conversation": conversation, "form": form}
        return render(request, "conversations/rename.html", context, status=status)
    services.conversation_rename(conversation=conversation, title=form.cleaned_data["title"])
    if not wants_fragment(request):
        return redirect(_url(conversation))
    current = _shown_conversation_id(request) == conversation.pk
    context = {
        "conversation": conversation,
        "current_id": conversation.pk if current else None,
        "retitle": current,  # the page's own heading shows the title too
    }
    return render(request, "conversations/_sidebar_entry.html", context)


def conversation_delete(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """POST deletes; GET asks for confirmation (htmx asks with hx-confirm instead)."""
    conversation = _get_conversation_for_user(request, conversation_id)
    if request.method == "GET":
        return render(request, "conversations/delete.html", {"conversation": conversation})
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    was_current = _shown_conversation_id(request) == conversation.pk
    services.conversation_delete(conversation=conversation)
    if not wants_fragment(request):
        return redirect("home")
    if was_current:
        return HttpResponseClientRedirect(reverse("home"))
    return HttpResponse("")  # the sidebar entry is swapped for nothing


def _ws_url(conversation: Conversation | None, path: list[Message]) -> str:
    """The page's socket. ``after`` names the last message the page shows, so that the socket
    adds what was sent (from another tab) between this render and its connection."""
    if conversation is None:
        return "/ws/chat/"
    return f"/ws/c/{conversation.pk}/?after={max((m.pk for m in path), default=0)}"
