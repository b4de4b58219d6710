"""Upstream failures as one typed value, and the words a user reads about them.

An ``UpstreamError`` comes from an HTTP error response (``error_from_response``), from an
``error`` event inside a stream, from a connection that failed or closed early, or from a stream
the folder could not make sense of. Bodies are read in the shapes seen in the wild: Anthropic's
``{"type": "error", "error": {...}}``, DeepSeek's OpenAI-style ``{"error": {...}}``, bare
``{"message": ...}`` / ``{"detail": ...}``, and HTML or text pages from proxies.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The error types Anthropic documents; a body naming one of these is believed over its status.
ANTHROPIC_ERROR_TYPES = frozenset(
    {
        "invalid_request_error",
        "authentication_error",
        "billing_error",
        "permission_error",
        "not_found_error",
        "request_too_large",
        "rate_limit_error",
        "api_error",
        "overloaded_error",
        "timeout_error",
    }
)

# Types for failures that never reached an HTTP status, or that happened inside the stream.
CONNECTION_ERROR = "connection_error"
TIMEOUT_ERROR = "timeout_error"
INCOMPLETE_STREAM = "incomplete_stream"
INVALID_STREAM = "invalid_stream"
INVALID_TOOL_INPUT = "invalid_tool_input"
REDIRECT_ERROR = "redirect_error"
MISSING_KEY = "missing_key"

_TYPE_BY_STATUS = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    408: TIMEOUT_ERROR,
    413: "request_too_large",
    422: "invalid_request_error",
    429: "rate_limit_error",
    503: "overloaded_error",
    504: TIMEOUT_ERROR,
    529: "overloaded_error",
}

_RETRYABLE_TYPES = frozenset({CONNECTION_ERROR, TIMEOUT_ERROR})
_MESSAGE_LIMIT = 300
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# Things shaped like API keys, hidden even when they are not the caller's own key.
_KEY_LIKE = re.compile(r"\b(?:sk|sim)-[A-Za-z0-9_\-]{12,}")


@dataclass
class UpstreamError:
    """What went wrong upstream. ``status`` is None when no HTTP status applies (a connection
    failure, or an ``error`` event in the middle of a stream that had answered 200)."""

    status: int | None
    type: str
    message: str
    retry_after: float | None = None

    @property
    def is_retryable(self) -> bool:
        return is_retryable(self)

    def user_message(self) -> str:
        """One or two sentences for the person who sent the request; never contains a key."""
        return user_message(self)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "message": self.message}


def is_retryable(error: UpstreamError) -> bool:
    """Rate limits, overload, server errors and failed connections may succeed when retried.

    The caller decides *when* a retry is allowed (never once output has begun); this only says
    whether the failure is of a kind that a later attempt could avoid.
    """
    if error.status is None:
        return error.type in _RETRYABLE_TYPES
    return error.status in (408, 429) or error.status >= 500


def error_from_response(
    status: int, headers: Mapping[str, str], body: bytes, *, api_key: str | None = None
) -> UpstreamError:
    """Read an error response of any shape; ``api_key`` is scrubbed from the message if echoed."""
    kind, message = _read_body(body)
    if kind not in ANTHROPIC_ERROR_TYPES:
        kind = _TYPE_BY_STATUS.get(status) or ("api_error" if status >= 500 else kind)
    if not kind:
        kind = "invalid_request_error" if 400 <= status < 500 else "api_error"
    if not message:
        message = f"HTTP {status} with an empty body"
    return UpstreamError(
        status=status,
        type=kind,
        message=redact(_shorten(message), api_key),
        retry_after=retry_after_seconds(headers),
    )


def error_from_event(data: Any) -> UpstreamError:
    """The error carried by an ``error`` event inside a stream (data already decoded)."""
    kind, message = _read_payload(data) if isinstance(data, dict) else ("", str(data or ""))
    return UpstreamError(
        status=None,
        type=kind or "api_error",
        message=redact(_shorten(message or "The upstream sent an error event"), None),
    )


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date), as seconds; else None."""
    lowered = {name.lower(): value for name, value in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def redact(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` and anything that looks like an API key replaced by a mark."""
    if secret:
        text = text.replace(secret, "[redacted key]")
    return _KEY_LIKE.sub("[redacted key]", text)


def user_message(error: UpstreamError) -> str:
    status = f" ({error.status})" if error.status is not None else ""
    detail = error.message.rstrip(".")
    match error.type:
        case "authentication_error":
            return f"The API key was rejected{status}. Check the key for this provider."
        case "billing_error":
            return f"The account behind this API key has insufficient balance{status}."
        case "permission_error":
            return f"The API key is not allowed to do this{status}: {detail}."
        case "not_found_error":
            return f"The endpoint or model was not found{status}: {detail}."
        case "request_too_large":
            return f"The request is too large for the upstream{status}."
        case "invalid_request_error":
            return f"The upstream refused the request{status}: {detail}."
        case "rate_limit_error":
            wait = f" Try again in {error.retry_after:g} s." if error.retry_after else ""
            return f"The upstream is rate limiting this key{status}.{wait}"
        case "overloaded_error" if error.status is None:
            return "The upstream became overloaded and stopped in the middle of the answer."
        case "overloaded_error":
            return f"The upstream is overloaded{status}; try again shortly."
        case "timeout_error":
            return f"The upstream did not answer in time{status}."
        case "connection_error":
            return f"The connection to the upstream failed: {detail}."
        case "incomplete_stream":
            return f"The answer stopped before it was complete: {detail}."
        case "invalid_stream" | "invalid_tool_input":
            return f"The upstream sent a stream that could not be read: {detail}."
        case "redirect_error":
            return f"The endpoint redirected{status}; check its base URL: {detail}."
        case "missing_key":
            return f"{detail}."
    if error.status is not None and error.status >= 500:
        return f"The upstream failed{status}: {detail}."
    return f"The upstream reported an error{status}: {detail}."


def _read_body(body: bytes) -> tuple[str, str]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return "", _text_of_page(body)
    if isinstance(data, dict):
        return _read_payload(data)
    return "", _text_of_page(body)


def _read_payload(data: dict[str, Any]) -> tuple[str, str]:
    inner = data.get("error")
    if isinstance(inner, dict):
        kind = inner.get("type")
        message = inner.get("message")
        return (
            kind if isinstance(kind, str) else "",
            message if isinstance(message, str) else json.dumps(inner),
        )
    if isinstance(inner, str):
        return "", inner
    for key in ("message", "detail"):
        if isinstance(data.get(key), str):
            return "", data[key]
    return "", json.dumps(data)


def _text_of_page(body: bytes) -> str:
    """A short readable line from an HTML or text body (a proxy's error page, say)."""
    title = _TITLE.search(body)
    raw = title.group(1) if title else body
    text = raw.decode("utf-8", "replace")
    return _SPACE.sub(" ", _TAG.sub(" ", text)).strip()


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"
