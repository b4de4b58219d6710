"""What every share page shows the same way: a message rendered read-only, a provider's public
name, the description a link preview shows, what a fork says, and the headers that keep robots
and caches away."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from playground.accounts.providers import builtins_from_settings, is_builtin
from playground.conversations.models import Message
from playground.conversations.presentation import message_context
from playground.conversations.services import message_text
from playground.streaming.fragments import MESSAGE_TEMPLATE

DESCRIPTION_CHARS = 200
FORKED = (
    "Forked: this copy is yours to continue. It has no API key: choose yours in the settings "
    "if its provider needs one."
)


def not_for_robots(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``X-Robots-Tag: noindex`` and ``no-store`` on the view's answers."""

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


def description(path: list[Message], *, fallback: str) -> str:
    """The first question, shortened: what a link preview shows under the title."""
    first = next((m for m in path if m.role == Message.Role.USER), None)
    text = " ".join(message_text(first.content).split()) if first else ""
    if len(text) > DESCRIPTION_CHARS:
        text = text[: DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text or fallback


def provider_name(slug: str) -> str:
    """A built-in provider by name; a custom endpoint only as such (its name is its owner's)."""
    if is_builtin(slug):
        return builtins_from_settings()[slug].name
    return "A custom endpoint"
