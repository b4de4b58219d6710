"""The HTML fragments a websocket sends: out-of-band swaps that htmx applies by id or selector.

Every top-level element of a websocket message is swapped out of band: by its own id when it has
no ``hx-swap-oob`` (a whole message, a footer, an error container), otherwise where its attribute
says. For ``beforeend`` the wrapper's *content* is inserted, so a text delta is one ``<span>``
around escaped text and nothing else. Model output is always escaped here or in the templates.
"""

from __future__ import annotations

import functools

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html

from playground.conversations.forms import ComposeForm, RequestSettingsForm
from playground.conversations.models import Conversation
from playground.conversations.tool_loop import ToolCall

MESSAGE_TEMPLATE = "conversations/_message.html"
BLOCK_TEMPLATE = "conversations/_block.html"
FOOTER_TEMPLATE = "conversations/_message_footer.html"


def text_append(*, message_id: int, index: int, text: str) -> str:
    """Escaped ``text`` appended to the body of block ``index`` (the hot path: no template)."""
    return f'<span hx-swap-oob="beforeend:#m-{message_id}-b-{index}-body">{escape(text)}</span>'


def block_append(*, message_id: int, block_html: str) -> str:
    return f'<div hx-swap-oob="beforeend:#m-{message_id}-blocks">{block_html}</div>'


def messages_append(inner_html: str, *, conversation_id: int) -> str:
    """Whole messages of a conversation added at the end of its list: the page's ``#messages``
    (the playground, a shared conversation) or, on a page of lanes (the compare page, a shared
    comparison), the lane's ``#lane-messages-<conversation id>``. A page has one or the other."""
    return (
        f'<div hx-swap-oob="beforeend:#messages, #lane-messages-{conversation_id}">'
        f"{inner_html}</div>"
    )


def message_removal(*, message_id: int) -> str:
    """Remove a message and every message shown after it (a retry, a regenerated answer or an
    edited question replaces that branch). One selector list, never empty while the message is
    there: htmx reports a swap whose selector finds nothing (the last message has no followers)."""
    return f'<span hx-swap-oob="delete:#m-{message_id}, #m-{message_id} ~ .message"></span>'


def final_fetch(*, message_id: int) -> str:
    """Make the browser fetch the finished message once, rendered (markdown) by the page's view.

    The inserted element asks for ``/m/<id>/`` as soon as htmx processes it and replaces the
    whole message with the answer; the streamed text stays if that request fails.
    """
    url = reverse("message_fragment", kwargs={"message_id": message_id})
    return format_html(
        '<span hx-swap-oob="beforeend:#m-{}"><span hidden hx-get="{}" hx-trigger="load" '
        'hx-target="#m-{}" hx-swap="outerHTML"></span></span>',
        message_id,
        url,
        message_id,
    )


def message_html(context: dict) -> str:
    return render_to_string(MESSAGE_TEMPLATE, context)


def block_html(context: dict) -> str:
    return render_to_string(BLOCK_TEMPLATE, context)


def footer_html(context: dict) -> str:
    """A message's footer, swapped by its id (``oob`` adds the attribute htmx expects)."""
    return render_to_string(FOOTER_TEMPLATE, {**context, "oob": True})


def form_feedback(
    *,
    settings_form: RequestSettingsForm,
    compose_form: ComposeForm | None,
    extra_errors: list[str] = (),
) -> str:
    """Every error container of the compose form, filled or emptied, and the notices."""
    return render_to_string(
        "conversations/_form_feedback.html",
        {
            "settings_form": settings_form,
            "compose_form": compose_form,
            "extra_errors": list(extra_errors),
        },
    )


def message_errors(errors: list[str], *, name: str = "message") -> str:
    """Only the Message box's error container (a refusal that is not about the settings), or
    the one of the box named ``name`` (an edited message's, the tool results')."""
    return render_to_string(
        "conversations/_field_errors.html", {"name": name, "errors": errors, "oob": True}
    )


def tool_results(*, calls: list[ToolCall]) -> str:
    """The compose area's Result boxes for the tool calls waiting (emptied when none waits)."""
    return render_to_string("conversations/_tool_results.html", {"tool_calls": calls, "oob": True})


def message_box() -> str:
    """An empty Message box, once the server has accepted what was in it."""
    return render_to_string(
        "conversations/_message_box.html", {"compose_form": ComposeForm(), "oob": True}
    )


@functools.cache
def compose_cleared() -> str:
    """The compose area once a send is accepted: the Message box's errors emptied, the box
    empty, no Result boxes. The same every time, so rendered once per process (a burst of
    sends queues on the database thread, where this is rendered)."""
    return message_errors([]) + message_box() + tool_results(calls=[])


def conversation_started(*, conversation: Conversation) -> str:
    """The new chat's address (the page's script puts it in the location bar), its sidebar entry
    and its Share and Export actions."""
    url = reverse("conversation", kwargs={"conversation_id": conversation.pk})
    entry = render_to_string(
        "conversations/_sidebar_entry.html",
        {"conversation": conversation, "current_id": conversation.pk, "oob": True},
    )
    # Share and Export, which need the conversation to exist.
    entry += render_to_string(
        "sharing/_conversation_actions.html", {"conversation": conversation, "oob": True}
    )
    return (
        format_html(
            '<div id="conversation-url" data-url="{}" hx-swap-oob="outerHTML" hidden></div>', url
        )
        + entry
    )
