"""Stop pressed on process B reaches the generation running on process A through the channel
layer: the answer ends at once, as a Stop on A would end it, with what arrived kept."""

from __future__ import annotations

import time

from playground.cluster.stopping import STOP_GRACE_SECONDS
from tests.compose import compose
from tests.scale.conftest import open_tab
from tests.scale.served import echo_words, is_prefix, stored

TEXT = echo_words(3000)


async def test_stop_pressed_on_b_stops_the_answer_generating_on_a_at_once(
    cluster, process_a, process_b, session_key, tabs
):
    sender = await open_tab(tabs, process_a, session_key)
    await sender.send(compose(f"[[echo]] [[speed:300]] {TEXT}"))
    answer_id = await sender.receive_opening()
    conversation_id = stored(cluster, answer_id)["conversation_id"]
    viewer = await open_tab(tabs, process_b, session_key, f"/c/{conversation_id}/")
    await viewer.receive_until(lambda html: len(viewer.answer_text(answer_id).split()) > 50)

    pressed = time.monotonic()
    await viewer.send({"action": "stop", "message_id": str(answer_id), "HEADERS": {}})
    await viewer.until_finished(answer_id, wait=10)
    took = time.monotonic() - pressed
    await sender.until_finished(answer_id, wait=10)

    assert took < STOP_GRACE_SECONDS / 2, f"{took:.1f} s: A was told, not left to find out"
    row = stored(cluster, answer_id)
    assert row["state"] == "stopped"
    kept = row["content"][0]["text"]
    assert is_prefix(kept, TEXT) and len(kept) < len(TEXT)
    for tab in (viewer, sender):
        assert tab.answer_text(answer_id) == kept.strip()
        footer = tab.page.text(f"m-{answer_id}-footer")
        assert "Stopped" in footer and "Retry" in footer
