"""The same request gets the same bytes back; only the ``request-id`` header differs."""

from __future__ import annotations

import httpx
import pytest

BODY = {
    "model": "deepseek-v4-flash",
    "max_tokens": 1000,
    "messages": [{"role": "user", "content": "Use get_time and tell me a story"}],
    "tools": [
        {
            "name": "get_time",
            "input_schema": {"type": "object", "properties": {"tz": {"type": "string"}}},
        }
    ],
}


@pytest.mark.parametrize("stream", [False, True])
def test_the_same_request_gets_the_same_bytes(simulator, stream):
    def fetch() -> httpx.Response:
        return httpx.post(
            simulator.messages_url, json=BODY | {"stream": stream}, headers={"x-api-key": "sim-a"}
        )

    first, second = fetch(), fetch()

    assert first.content == second.content
    assert first.headers["request-id"] != second.headers["request-id"]


def test_a_different_key_or_query_string_changes_nothing(simulator):
    answers = {
        httpx.post(simulator.messages_url + query, json=BODY, headers={"x-api-key": key}).content
        for key, query in (("sim-a", ""), ("sim-b", "?beta=true"))
    }

    assert len(answers) == 1
