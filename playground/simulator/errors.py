"""Error bodies in the shapes the upstreams send.

DeepSeek's Anthropic endpoint answers errors in its OpenAI-style envelope,
``{"error": {"message", "type", "param", "code"}}`` (seen for 400, 401 and 402; the types we use
for 429, 500 and 503 are our best guess). Anthropic's own shape,
``{"type": "error", "error": {"type", "message"}}``, is used for its 529 and for the ``error``
event inside a stream.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class ErrorReply:
    status: int
    body: dict[str, Any]
    headers: tuple[tuple[str, str], ...] = field(default=())


def deepseek_error(
    status: int, *, kind: str, message: str, code: str | None = None, **headers: str
) -> ErrorReply:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code or kind}}
    return ErrorReply(
        status=status,
        body=body,
        headers=tuple((name.replace("_", "-"), value) for name, value in headers.items()),
    )


def anthropic_error_body(*, kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


def invalid_request(message: str) -> ErrorReply:
    return deepseek_error(
        400, kind="invalid_request_error", message=message, code="invalid_request_error"
    )


def authentication_failed(api_key: str | None) -> ErrorReply:
    if not api_key:
        message = "Authentication Fails (no api key: send x-api-key or Authorization: Bearer)"
    else:
        # DeepSeek shows the key's last four characters; short keys are masked entirely.
        shown = api_key[-4:] if len(api_key) >= 12 else ""
        message = f"Authentication Fails, Your api key: ****{shown} is invalid"
    return deepseek_error(
        401, kind="authentication_error", message=message, code="invalid_request_error"
    )


def not_found(method: str, path: str) -> ErrorReply:
    return deepseek_error(404, kind="not_found_error", message=f"Not Found: {method} {path}")


def method_not_allowed(method: str) -> ErrorReply:
    return deepseek_error(
        405, kind="invalid_request_error", message=f"Method {method} is not allowed; use POST"
    )


def fault_reply(fault: str, *, retry_after_seconds: int) -> ErrorReply | None:
    """The error reply a fault answers with before any byte of the answer, if it is one."""
    match fault:
        case "rate_limit":
            return deepseek_error(
                429,
                kind="rate_limit_error",
                message="Rate Limit Reached",
                retry_after=str(retry_after_seconds),
            )
        case "insufficient_balance":
            return deepseek_error(
                402,
                kind="unknown_error",
                message="Insufficient Balance",
                code="invalid_request_error",
            )
        case "overloaded":
            return deepseek_error(503, kind="overloaded_error", message="Server Overloaded")
        case "server_error":
            return deepseek_error(500, kind="api_error", message="Internal Server Error")
        case "overloaded_529":
            return overloaded_529()
    return None


def overloaded_529() -> ErrorReply:
    return ErrorReply(
        status=529, body=anthropic_error_body(kind="overloaded_error", message="Overloaded")
    )
