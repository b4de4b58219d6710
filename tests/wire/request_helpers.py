"""Shared builders for the request tests: a valid request to break one rule at a time."""

from __future__ import annotations

from typing import Any

from playground.wire.profiles import DEEPSEEK, CompatibilityProfile
from playground.wire.request import RequestInvalid, build_request


def valid(**overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "model": "deepseek-v4-flash",
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": "Hello"}],
    }
    params.update(overrides)
    return params


def errors_of(params: dict[str, Any], profile: CompatibilityProfile = DEEPSEEK) -> dict[str, str]:
    """Every error of ``params`` as {field path: message}; fails if the request is accepted."""
    try:
        build_request(params, profile=profile)
    except RequestInvalid as invalid:
        return {error.field: error.message for error in invalid.errors}
    raise AssertionError("the request was accepted")
