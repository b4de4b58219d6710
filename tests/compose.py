"""What the playground page's compose form sends over its websocket (htmx ``ws-send``).

Shared by the streaming tests and the relay benchmark, which both act as the browser. No Django
import: the benchmark loads it before Django is set up.
"""

from __future__ import annotations

from typing import Any

SETTINGS = {
    "provider": "simulator",
    "api_key": "",
    "model": "deepseek-v4-flash",
    "system": "",
    "max_tokens": "8192",
    "temperature": "",
    "top_p": "",
    "top_k": "",
    "thinking": "disabled",
    "effort": "",
    "tools": "",
    "tool_choice": "auto",
    "tool_name": "",
    "conversation_id": "",
}


def compose(message: str, **settings: str) -> dict[str, Any]:
    """Send with ``message`` in the Message box and ``settings`` changed from the defaults."""
    return {**SETTINGS, **settings, "message": message, "HEADERS": {"HX-Request": "true"}}
