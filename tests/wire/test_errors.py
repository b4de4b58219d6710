"""Upstream errors of every shape become typed results with words a user can act on."""

from __future__ import annotations

import email.utils
import json
import time

import pytest

from playground.wire.errors import (
    UpstreamError,
    error_from_event,
    error_from_response,
    is_retryable,
    retry_after_seconds,
)


def deepseek_body(message: str, kind: str, code: str = "invalid_request_error") -> bytes:
    return json.dumps(
        {"error": {"message": message, "type": kind, "param": None, "code": code}}
    ).encode()


def anthropic_body(kind: str, message: str) -> bytes:
    return json.dumps({"type": "error", "error": {"type": kind, "message": message}}).encode()


def test_anthropic_shaped_errors_keep_their_type_and_message():
    error = error_from_response(529, {}, anthropic_body("overloaded_error", "Overloaded"))
    assert (error.status, error.type, error.message) == (529, "overloaded_error", "Overloaded")


def test_deepseek_shaped_errors_are_read_too():
    error = error_from_response(
        400, {}, deepseek_body("max_tokens is too large", "invalid_request_error")
    )
    assert error.type == "invalid_request_error"
    assert error.message == "max_tokens is too large"


def test_an_unhelpful_type_gives_way_to_what_the_status_means():
    error = error_from_response(402, {}, deepseek_body("Insufficient Balance", "unknown_error"))
    assert error.type == "billing_error"
    assert error.user_message() == "The account behind this API key has insufficient balance (402)."


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, "invalid_request_error"),
        (401, "authentication_error"),
        (403, "permission_error"),
        (404, "not_found_error"),
        (413, "request_too_large"),
        (429, "rate_limit_error"),
        (500, "api_error"),
        (502, "api_error"),
        (503, "overloaded_error"),
        (529, "overloaded_error"),
    ],
)
def test_a_body_without_a_type_takes_its_type_from_the_status(status, kind):
    assert error_from_response(status, {}, b'{"message": "no"}').type == kind


def test_an_html_page_from_a_proxy_is_read_without_crashing():
    page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>"
    error = error_from_response(502, {"content-type": "text/html"}, page)
    assert error.type == "api_error"
    assert error.message == "502 Bad Gateway"
    assert error.user_message() == "The upstream failed (502): 502 Bad Gateway."


def test_undecodable_and_empty_bodies_still_give_a_message():
    assert error_from_response(500, {}, b"\xff\xfe\x00garbage").message
    assert error_from_response(500, {}, b"").message == "HTTP 500 with an empty body"


def test_very_long_messages_are_shortened():
    error = error_from_response(400, {}, deepseek_body("x" * 5000, "invalid_request_error"))
    assert len(error.message) <= 300


def test_retry_after_is_read_in_seconds_milliseconds_or_as_a_date():
    assert retry_after_seconds({"Retry-After": "2"}) == 2.0
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= retry_after_seconds({"retry-after": soon}) <= 31
    assert retry_after_seconds({"retry-after": "whenever"}) is None
    assert retry_after_seconds({}) is None


def test_a_rate_limit_tells_the_user_when_to_try_again():
    error = error_from_response(
        429, {"retry-after": "3"}, deepseek_body("Rate Limit Reached", "rate_limit_error")
    )
    assert error.retry_after == 3.0
    assert error.user_message() == "The upstream is rate limiting this key (429). Try again in 3 s."


def test_the_api_key_never_appears_in_a_message():
    key = "sk-" + "0123456789abcdef0123"  # built, so that no key-shaped literal is committed
    body = deepseek_body(
        f"Authentication Fails, Your api key: {key} is invalid", "authentication_error"
    )
    error = error_from_response(401, {}, body, api_key=key)
    assert key not in error.message
    assert key not in error.user_message()
    assert (
        error.user_message() == "The API key was rejected (401). Check the key for this provider."
    )
    # Even a key that is not the caller's is hidden when it looks like one.
    lookalike = "sk-" + "z" * 20
    other = error_from_response(401, {}, deepseek_body(f"bad key {lookalike}", "x"))
    assert "sk-zzzz" not in other.message


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (UpstreamError(429, "rate_limit_error", ""), True),
        (UpstreamError(529, "overloaded_error", ""), True),
        (UpstreamError(503, "overloaded_error", ""), True),
        (UpstreamError(500, "api_error", ""), True),
        (UpstreamError(None, "connection_error", ""), True),
        (UpstreamError(None, "timeout_error", ""), True),
        (UpstreamError(400, "invalid_request_error", ""), False),
        (UpstreamError(401, "authentication_error", ""), False),
        (UpstreamError(402, "billing_error", ""), False),
        (UpstreamError(None, "overloaded_error", "mid-stream"), False),
        (UpstreamError(None, "incomplete_stream", ""), False),
    ],
)
def test_only_failures_a_later_attempt_could_avoid_are_retryable(error, retryable):
    assert is_retryable(error) is retryable
    assert error.is_retryable is retryable


def test_an_error_event_in_a_stream_has_no_status():
    error = error_from_event(
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    )
    assert (error.status, error.type, error.message) == (None, "overloaded_error", "Overloaded")
    assert (
        error.user_message()
        == "The upstream became overloaded and stopped in the middle of the answer."
    )
