"""What the inspector shows of one answer: the request as sent, the response, the stream's timeline.

The request body is stored as sent (it never holds the key); its headers are stored with the key
masked (``…last4``) when the answer ends, since only the generation knew which key it used. The
response is the final message as the SDK's ``get_final_message()`` gives it, rebuilt from the
stored fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from playground.conversations.models import Message
from playground.wire.providers import MissingKey, Provider

# Headers that carry the key, and how each shows it masked.
_SECRET_HEADERS = {"x-api-key": "{}", "authorization": "Bearer {}"}


def masked_key(key: str | None) -> str:
    """``…last4``; a key too short to hide four of its characters shows none."""
    if not key:
        return ""
    return f"…{key[-4:]}" if len(key) >= 12 else "…"


def masked_headers(*, provider: Provider, api_key: str | None) -> dict[str, str]:
    """The headers a request to ``provider`` carries, the key masked."""
    try:
        headers = provider.auth_headers(api_key)
    except MissingKey:
        return {}
    secret = api_key or provider.default_key
    return {
        name: _SECRET_HEADERS[name].format(masked_key(secret)) if name in _SECRET_HEADERS else value
        for name, value in headers.items()
    }


def final_message(message: Message) -> dict[str, Any]:
    """The answer as the SDK's ``get_final_message()`` would give it."""
    return {
        "id": message.upstream_id or None,
        "type": "message",
        "role": "assistant",
        "model": message.model,
        "content": message.content,
        "stop_reason": message.stop_reason or None,
        "stop_sequence": message.stop_sequence,
        "usage": message.usage,
    }


@dataclass(frozen=True)
class Inspection:
    """The inspector's three parts, ready for the template."""

    request_headers: dict[str, str]
    request_json: str
    response_json: str
    events: list[tuple[str, int]]
    timeline: dict[str, Any]
    stop_reason: str
    error: dict[str, Any] | None


def inspection_of(message: Message) -> Inspection:
    timeline = message.timeline if isinstance(message.timeline, dict) else {}
    events = timeline.get("events")
    return Inspection(
        request_headers=timeline.get("request_headers") or {},
        request_json=_pretty(message.request) if message.request is not None else "",
        response_json=_pretty(final_message(message)),
        events=sorted(events.items(), key=_event_order) if isinstance(events, dict) else [],
        timeline=timeline,
        stop_reason=message.stop_reason,
        error=message.error,
    )


# The protocol's order, so that the counts read like the stream.
_EVENT_ORDER = (
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
    "ping",
    "error",
)


def _event_order(item: tuple[str, int]) -> tuple[int, str]:
    name = item[0]
    return (_EVENT_ORDER.index(name) if name in _EVENT_ORDER else len(_EVENT_ORDER), name)


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
