"""Every fault the Simulator can play, through the whole cluster: the answer is generated on
process A and watched from process B. A failure ends the answer with a clear message and the
output that arrived; failures before any output are retried within the configured budget
(``PLAYGROUND_UPSTREAM_RETRIES``, 1 here), the wait shown to every viewer."""

from __future__ import annotations

import pytest

from tests.compose import compose
from tests.scale.conftest import open_tab
from tests.scale.served import echo_words, is_prefix, stored

TEXT = echo_words(400)


async def answer_with(cluster, tabs, process_a, process_b, session_key, directive: str):
    """The answer to ``directive`` and the echo, sent on A, watched on B from its first frame."""
    sender = await open_tab(tabs, process_a, session_key)
    await sender.send(compose(f"[[echo]] [[speed:2000]] {directive} {TEXT}"))
    answer_id = await sender.receive_opening()
    conversation_id = stored(cluster, answer_id)["conversation_id"]
    viewer = await open_tab(tabs, process_b, session_key, f"/c/{conversation_id}/")
    await viewer.until_finished(answer_id)
    await sender.until_finished(answer_id)
    return sender, viewer, stored(cluster, answer_id)


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("overloaded", "The upstream is overloaded (503); try again shortly."),
        ("overloaded_529", "The upstream is overloaded (529); try again shortly."),
        ("server_error", "The upstream failed (500)"),
        ("rate_limit", "rate limit"),
        ("insufficient_balance", "insufficient balance (402)"),
    ],
)
async def test_a_failure_before_any_output_ends_the_answer_in_words_for_every_viewer(
    cluster, process_a, process_b, session_key, tabs, fault, words
):
    sender, viewer, row = await answer_with(
        cluster, tabs, process_a, process_b, session_key, f"[[fault:{fault}]]"
    )

    assert row["state"] == "error"
    assert row["content"] == []
    assert words.lower() in row["error"]["message"].lower()
    for tab in (sender, viewer):
        footer = tab.page.text(f"m-{row['id']}-footer")
        assert words.lower() in footer.lower() and "Retry" in footer


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("overloaded_mid", "became overloaded and stopped in the middle of the answer"),
        ("drop", "the connection was lost in the middle of the answer"),
    ],
)
async def test_a_failure_mid_answer_keeps_what_arrived_for_every_viewer(
    cluster, process_a, process_b, session_key, tabs, fault, words
):
    sender, viewer, row = await answer_with(
        cluster, tabs, process_a, process_b, session_key, f"[[fault:{fault}]]"
    )

    assert row["state"] == "error"
    assert words in row["error"]["message"]
    kept = row["content"][0]["text"]
    assert kept and is_prefix(kept, TEXT) and len(kept) < len(TEXT)
    for tab in (sender, viewer):
        assert tab.answer_text(row["id"]) == kept.strip()
        assert words in tab.page.text(f"m-{row['id']}-footer")


@pytest.mark.parametrize(
    ("fault", "seen"),
    [
        ("rate_limit:1", "Rate limited, retrying in 1 s"),
        ("overloaded:1", "The provider is overloaded, retrying in"),
        ("queued", "Queued by the provider…"),
        ("slow_first_byte", None),
    ],
)
async def test_a_wait_before_the_answer_is_shown_then_the_whole_answer_streams(
    cluster, process_a, process_b, session_key, tabs, fault, seen
):
    sender, viewer, row = await answer_with(
        cluster, tabs, process_a, process_b, session_key, f"[[fault:{fault}]]"
    )

    assert row["state"] == "complete"
    assert row["content"] == [{"type": "text", "text": TEXT}]
    if seen is not None:
        assert any(seen in html for html in sender.received)
    for tab in (sender, viewer):
        assert tab.answer_text(row["id"]) == TEXT
