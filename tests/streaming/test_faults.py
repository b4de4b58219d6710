"""Every upstream failure ends on the message in words, with what arrived kept and a Retry
button; failures before any output are retried first, with the wait shown in the footer."""

from __future__ import annotations

import pytest

from playground.conversations.models import Message
from tests.compose import compose
from tests.streaming.conftest import echo_words, open_tab, stored

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = echo_words(300)


async def answer_with(alice, directive: str):
    tab = await open_tab(alice)
    await tab.send(compose(f"[[echo]] {directive} {TEXT}"))
    answer_id = await tab.receive_opening()
    await tab.until_finished(answer_id)
    return tab, await stored(answer_id)


@pytest.mark.parametrize(
    ("fault", "words", "status_seen"),
    [
        ("overloaded", "The upstream is overloaded (503); try again shortly.", "overloaded"),
        ("overloaded_529", "The upstream is overloaded (529); try again shortly.", "overloaded"),
        ("server_error", "The upstream failed (500)", "The provider failed (500)"),
        ("insufficient_balance", "insufficient balance (402)", None),
    ],
)
async def test_a_failure_before_the_answer_ends_it_in_words_with_a_retry_button(
    alice, fault, words, status_seen
):
    tab, message = await answer_with(alice, f"[[fault:{fault}]]")

    assert message.state == Message.State.ERROR
    assert message.content == []
    assert words in message.error["message"]
    footer = tab.page.by_id(f"m-{message.pk}-footer")
    assert words in footer.text() and "Retry" in footer.text()
    retried = any("retrying in" in html for html in tab.received)
    assert retried == (status_seen is not None), "only retryable failures are retried"
    if status_seen:
        assert any(status_seen in html and "retrying in" in html for html in tab.received)


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("overloaded_mid", "became overloaded and stopped in the middle of the answer"),
        ("drop", "the connection was lost in the middle of the answer"),
    ],
)
async def test_a_failure_mid_answer_keeps_what_arrived(alice, fault, words):
    tab, message = await answer_with(alice, f"[[fault:{fault}]]")

    assert message.state == Message.State.ERROR
    assert words in message.error["message"]
    kept = message.content[0]["text"]
    assert kept and TEXT.startswith(kept) and len(kept) < len(TEXT)
    assert tab.page.text(f"m-{message.pk}-b-0-body").strip() == kept.strip()
    assert words in tab.page.text(f"m-{message.pk}-footer")


async def test_a_rate_limit_is_retried_after_the_wait_it_asks_for(alice):
    tab, message = await answer_with(alice, "[[fault:rate_limit:1]]")

    assert any("Rate limited, retrying in 1 s" in html for html in tab.received)
    assert message.state == Message.State.COMPLETE
    assert message.content == [{"type": "text", "text": TEXT}]
    assert message.first_token_ms >= 1000, "time to first token counts the wait"


async def test_a_provider_queue_shows_as_queued_then_the_answer_streams(alice):
    tab, message = await answer_with(alice, "[[fault:queued]]")

    assert any("Queued by the provider…" in html for html in tab.received)
    assert message.state == Message.State.COMPLETE
    assert message.content == [{"type": "text", "text": TEXT}]


async def test_a_slow_first_byte_is_waited_for(alice):
    _, message = await answer_with(alice, "[[fault:slow_first_byte]]")

    assert message.state == Message.State.COMPLETE
    assert message.first_token_ms >= 500


async def test_an_upstream_that_does_not_answer_in_time_is_a_timeout_in_words(alice, settings):
    settings.PLAYGROUND_UPSTREAM_TIMEOUT = 0.2
    settings.PLAYGROUND_UPSTREAM_RETRIES = 0
    tab, message = await answer_with(alice, "[[fault:slow_first_byte]]")

    assert message.state == Message.State.ERROR
    assert "did not answer in time" in message.error["message"]
    assert "did not answer in time" in tab.page.text(f"m-{message.pk}-footer")
