"""A viewer on process B sees an answer that process A generates, live, each delta once and in
order, from the moment it opens the conversation to the end."""

from __future__ import annotations

import asyncio

from tests.compose import compose
from tests.scale.conftest import open_tab
from tests.scale.served import echo_words, is_prefix, stored

TEXT = echo_words(600)


async def test_a_viewer_on_b_sees_an_answer_generated_on_a_live_with_each_delta_once(
    cluster, process_a, process_b, session_key, tabs
):
    sender = await open_tab(tabs, process_a, session_key)
    await sender.send(compose(f"[[echo]] [[speed:300]] {TEXT}"))
    answer_id = await sender.receive_opening()
    await sender.receive_until(lambda html: f"m-{answer_id}-b-0-body" in html)
    conversation_id = stored(cluster, answer_id)["conversation_id"]

    viewer = await open_tab(tabs, process_b, session_key, f"/c/{conversation_id}/")
    shown_on_opening = viewer.answer_text(answer_id)
    seen: list[str] = []
    async with asyncio.timeout(30):
        while True:
            html = await viewer.receive()
            shown = viewer.answer_text(answer_id)
            assert is_prefix(shown, TEXT), f"frame {len(seen)} shows a repeat or a hole"
            seen.append(shown)
            if f'hx-get="/m/{answer_id}/"' in html:
                break

    assert viewer.answer_text(answer_id) == TEXT, "the deltas alone made the whole answer"
    assert len(shown_on_opening.split()) < len(TEXT.split()) / 2, "it was opened mid-answer"
    assert len(set(seen)) > 20, "the answer arrived live, frame after frame"
    row = stored(cluster, answer_id)
    assert row["state"] == "complete"
    assert row["runner"].endswith(f"127.0.0.1:{process_a.port}"), "A wrote it, not B"
    await sender.until_finished(answer_id)
    assert sender.answer_text(answer_id) == TEXT
