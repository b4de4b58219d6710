"""Every Simulator error reaches the official ``anthropic`` SDK as the SDK's own exception class."""

from __future__ import annotations

import anthropic
import httpx2
import pytest

FLASH = "deepseek-v4-flash"


def client_for(simulator, **options) -> anthropic.Anthropic:
    options.setdefault("api_key", "sim-test")
    options.setdefault("max_retries", 0)
    return anthropic.Anthropic(base_url=simulator.base_url, **options)


def create(client: anthropic.Anthropic, text: str, **fields) -> anthropic.types.Message:
    return client.messages.create(
        model=FLASH, max_tokens=500, messages=[{"role": "user", "content": text}], **fields
    )


@pytest.mark.parametrize(
    ("fault", "status", "exception"),
    [
        ("rate_limit", 429, anthropic.RateLimitError),
        ("insufficient_balance", 402, anthropic.PaymentRequiredError),
        ("server_error", 500, anthropic.InternalServerError),
        ("overloaded", 503, anthropic.ServiceUnavailableError),
        ("overloaded_529", 529, anthropic.OverloadedError),
    ],
)
@pytest.mark.parametrize("stream", [False, True])
def test_a_fault_before_the_answer_raises_the_sdks_exception(
    simulator, fault, status, exception, stream
):
    with pytest.raises(exception) as raised:
        create(client_for(simulator), f"[[fault:{fault}]] hello", stream=stream)

    assert raised.value.status_code == status
    assert raised.value.request_id.startswith("req_")


def test_a_key_without_the_sim_prefix_raises_authentication_error(simulator):
    with pytest.raises(anthropic.AuthenticationError) as raised:
        create(client_for(simulator, api_key="sk-live-0123456789abcdef"), "hello")

    assert raised.value.status_code == 401
    assert "****cdef is invalid" in raised.value.message


def test_a_bearer_token_is_accepted_like_an_api_key(simulator):
    message = create(client_for(simulator, api_key=None, auth_token="sim-bearer"), "hello")

    assert message.stop_reason == "end_turn"


def test_an_invalid_request_raises_bad_request_error_naming_the_field(simulator):
    with pytest.raises(anthropic.BadRequestError) as raised:
        create(client_for(simulator), "hello", extra_body={"temperature": 2.5})

    assert "temperature" in raised.value.message


def test_the_rate_limit_error_says_when_to_retry(simulator):
    with pytest.raises(anthropic.RateLimitError) as raised:
        create(client_for(simulator), "[[fault:rate_limit]] hello")

    assert raised.value.response.headers["retry-after"] == str(simulator.config.retry_after_seconds)


def test_a_fault_limited_to_one_sighting_lets_the_sdks_retry_succeed(simulator):
    client = client_for(simulator, max_retries=2)

    message = create(client, "[[fault:overloaded_529:1]] retry me, unique 7f3a")

    assert message.stop_reason == "end_turn"


def test_a_fault_limited_to_two_sightings_fails_twice_then_answers(simulator):
    client = client_for(simulator)
    text = "[[fault:server_error:2]] twice, unique 91bc"

    for _ in range(2):
        with pytest.raises(anthropic.InternalServerError):
            create(client, text)
    assert create(client, text).stop_reason == "end_turn"


def test_overload_in_the_middle_of_a_stream_raises_overloaded_error_after_some_deltas(simulator):
    seen = []
    with pytest.raises(anthropic.APIStatusError) as raised:
        with client_for(simulator).messages.stream(
            model=FLASH,
            max_tokens=500,
            messages=[{"role": "user", "content": "[[fault:overloaded_mid]] hi"}],
        ) as stream:
            seen.extend(event.type for event in stream)

    assert raised.value.body["error"]["type"] == "overloaded_error"
    assert "content_block_delta" in seen
    assert "message_stop" not in seen


def test_a_dropped_connection_raises_a_connection_error_mid_stream(simulator):
    seen = []
    with pytest.raises(httpx2.RemoteProtocolError):
        with client_for(simulator).messages.stream(
            model=FLASH, max_tokens=500, messages=[{"role": "user", "content": "[[fault:drop]] hi"}]
        ) as stream:
            seen.extend(event.type for event in stream)

    assert "content_block_delta" in seen
    assert "message_stop" not in seen


def test_a_dropped_non_streaming_answer_raises_a_connection_error(simulator):
    with pytest.raises(anthropic.APIConnectionError):
        create(client_for(simulator), "[[fault:drop]] hi")


def test_a_queued_request_still_gets_its_answer(simulator):
    for stream in (False, True):
        if stream:
            with client_for(simulator).messages.stream(
                model=FLASH,
                max_tokens=500,
                messages=[{"role": "user", "content": "[[fault:queued]] hi"}],
            ) as events:
                message = events.get_final_message()
        else:
            message = create(client_for(simulator), "[[fault:queued]] hi")
        assert message.stop_reason == "end_turn"
