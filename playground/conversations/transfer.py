"""Conversations out of and into the database as plain data: export as JSON and Markdown, and the
one writer that saves a conversation built from records (import and fork both use it).

The JSON export (``conversation_export``) is ``{"format": "playground.conversation", "version": 1,
"request", "conversation", "messages", "current"}``: the Anthropic Messages request the current
path represents, the title, provider and settings, every message of the tree (branches too) with
an export-local ``id`` and ``parent``, and the id of the current leaf. It never holds a key: the
conversation's key is a reference that is not exported. ``playground.conversations.import_transfer``
reads it back. The Markdown export is the current path, for people to read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from playground.conversations.forms import DEFAULT_SETTINGS
from playground.conversations.models import Conversation, Message
from playground.conversations.services import request_messages

FORMAT = "playground.conversation"
VERSION = 1

# What a message record carries besides its role, content and parent: how it was made and ended.
RECORD_FIELDS = (
    "state",
    "error",
    "provider",
    "model",
    "usage",
    "stop_reason",
    "stop_sequence",
    "first_token_ms",
    "duration_ms",
    "output_tokens_per_second",
)


@dataclass(frozen=True, kw_only=True)
class MessageRecord:
    """One message to save: ``parent`` is the index of an earlier record (None for a root)."""

    parent: int | None
    role: str
    content: list[dict[str, Any]]
    fields: dict[str, Any]


# --- export -----------------------------------------------------------------------------------


def conversation_export(*, conversation: Conversation) -> dict[str, Any]:
    """The JSON export of the whole conversation (see the module docstring)."""
    messages = list(conversation.messages.order_by("id"))
    local_id = {message.pk: number for number, message in enumerate(messages, start=1)}
    path = path_to(messages, leaf_id=conversation.current_leaf_id)
    return {
        "format": FORMAT,
        "version": VERSION,
        "request": request_body(
            settings=conversation.settings, messages=request_messages(path=path)
        ),
        "conversation": {
            "title": conversation.title,
            "provider": conversation.provider,
            "settings": settings_with_defaults(conversation.settings),
            "created_at": conversation.created_at.isoformat(),
        },
        "messages": [
            {
                "id": local_id[message.pk],
                "parent": local_id.get(message.parent_id),
                "role": message.role,
                "content": message.content,
                **{name: getattr(message, name) for name in RECORD_FIELDS},
                "created_at": message.created_at.isoformat(),
            }
            for message in messages
        ],
        "current": local_id.get(conversation.current_leaf_id),
    }


def conversation_export_markdown(*, conversation: Conversation) -> str:
    """The current path as Markdown: the settings, then each turn with its blocks."""
    messages = list(conversation.messages.order_by("id"))
    path = path_to(messages, leaf_id=conversation.current_leaf_id)
    settings = settings_with_defaults(conversation.settings)
    lines = [f"# {conversation.title or 'Untitled conversation'}", ""]
    lines.append(f"- Provider: {conversation.provider}")
    lines += [f"- {label}: {value}" for label, value in settings_summary(settings)]
    if len(messages) > len(path):
        lines.append("- Other branches of this conversation are in its JSON export.")
    if settings["system"]:
        lines += ["", "## System prompt", "", settings["system"]]
    for message in path:
        heading = "You" if message.role == Message.Role.USER else "Assistant"
        if message.model:
            heading += f" ({message.model})"
        lines += ["", f"## {heading}", ""]
        lines += [_block_markdown(block) for block in message.content]
        if message.state not in (Message.State.COMPLETE, Message.State.STREAMING):
            lines += [f"*The answer ended early: {message.state}.*"]
    return "\n".join(lines).rstrip() + "\n"


def _block_markdown(block: dict[str, Any]) -> str:
    kind = block.get("type")
    if kind == "text":
        return str(block.get("text", "")) + "\n"
    if kind == "thinking":
        return (
            f"<details><summary>Thinking</summary>\n\n{block.get('thinking', '')}\n\n</details>\n"
        )
    if kind in ("tool_use", "server_tool_use"):
        return f"**Tool call** `{block.get('name', '')}`\n\n{_fenced(block.get('input'), 'json')}"
    if kind == "tool_result":
        content = block.get("content")
        return (
            f"**Tool result**\n\n{_fenced(content, 'json' if not isinstance(content, str) else '')}"
        )
    return f"*A {kind} block.*\n"


def _fenced(value: Any, language: str) -> str:
    """``value`` in a code fence longer than any run of backticks inside it."""
    text = value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}\n"


def path_to(messages: list[Message], *, leaf_id: int | None) -> list[Message]:
    """The messages from the root down to ``leaf_id``, among ``messages`` (one conversation's)."""
    by_id = {message.pk: message for message in messages}
    path = []
    message = by_id.get(leaf_id) if leaf_id is not None else None
    while message is not None:
        path.append(message)
        message = by_id.get(message.parent_id)
    path.reverse()
    return path


def settings_with_defaults(settings: dict[str, Any]) -> dict[str, Any]:
    """Every request setting, the stored ones over the defaults (keys of older forms left out)."""
    return {**DEFAULT_SETTINGS, **{k: v for k, v in settings.items() if k in DEFAULT_SETTINGS}}


def settings_summary(settings: dict[str, Any]) -> list[tuple[str, str]]:
    """The settings a reader needs, as (label, value) pairs; the system prompt is left out."""
    settings = settings_with_defaults(settings)
    rows = [
        ("Model", str(settings["model"])),
        ("Max tokens", str(settings["max_tokens"])),
        ("Thinking", "on" if settings["thinking"] == "enabled" else "off"),
    ]
    if settings["effort"]:
        rows.append(("Effort", str(settings["effort"])))
    for key, label in (("temperature", "Temperature"), ("top_p", "Top P"), ("top_k", "Top K")):
        if settings[key] is not None:
            rows.append((label, str(settings[key])))
    if settings["stop_sequences"]:
        rows.append(
            ("Stop sequences", ", ".join(json.dumps(s) for s in settings["stop_sequences"]))
        )
    tools = parsed_tools(settings["tools"])
    if tools:
        names = [str(t.get("name")) for t in tools if isinstance(t, dict)]
        rows.append(("Tools", ", ".join(names)))
        choice = settings["tool_choice"]
        rows.append(
            ("Tool choice", f"{choice} ({settings['tool_name']})" if choice == "tool" else choice)
        )
    return rows


def parsed_tools(text: Any) -> list[Any] | None:
    """The tools list stored as JSON text in the settings; None when blank or not a list."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        tools = json.loads(text)
    except ValueError:
        return None
    return tools if isinstance(tools, list) and tools else None


def request_body(*, settings: dict[str, Any], messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The Messages request body the settings and messages stand for (``stream`` left out)."""
    settings = settings_with_defaults(settings)
    body: dict[str, Any] = {"model": settings["model"], "max_tokens": settings["max_tokens"]}
    if settings["system"]:
        body["system"] = settings["system"]
    body["messages"] = messages
    for key in ("temperature", "top_p", "top_k"):
        if settings[key] is not None:
            body[key] = settings[key]
    if settings["stop_sequences"]:
        body["stop_sequences"] = list(settings["stop_sequences"])
    if settings["thinking"]:
        body["thinking"] = {"type": settings["thinking"]}
    if settings["effort"]:
        body["output_config"] = {"effort": settings["effort"]}
    tools = parsed_tools(settings["tools"])
    if tools:
        body["tools"] = tools
        if settings["tool_choice"]:
            body["tool_choice"] = {"type": settings["tool_choice"]}
            if settings["tool_choice"] == "tool":
                body["tool_choice"]["name"] = settings["tool_name"]
    return body


# --- the writer -------------------------------------------------------------------------------


@transaction.atomic
def conversation_build(
    *,
    user: AbstractBaseUser,
    title: str,
    provider: str,
    settings: dict[str, Any],
    records: list[MessageRecord],
    current: int | None,
) -> Conversation:
    """Save a new conversation of ``user`` with ``records`` as its tree and ``records[current]``
    as its current leaf, all at once or (on any error) not at all. It has no key: its owner
    chooses one before sending."""
    conversation = Conversation.objects.create(
        user=user, title=title, title_is_auto=not title, provider=provider, settings=settings
    )
    messages = Message.objects.bulk_create(
        [
            Message(
                conversation=conversation, role=record.role, content=record.content, **record.fields
            )
            for record in records
        ]
    )
    children = []
    for message, record in zip(messages, records, strict=True):
        if record.parent is not None:
            message.parent_id = messages[record.parent].pk
            children.append(message)
    Message.objects.bulk_update(children, ["parent"], batch_size=500)
    if current is not None:
        conversation.current_leaf = messages[current]
        conversation.save(update_fields=["current_leaf", "updated_at"])
    return conversation
