"""A process killed mid-answer (SIGKILL: no chance to save anything) loses at most its last
checkpoint interval: the answer becomes ``interrupted`` with the text it had saved and a Retry
button, found either by another process's sweep or by the same process started again. Nothing
stays streaming."""

from __future__ import annotations

import time

from tests.compose import compose
from tests.scale.conftest import CLUSTER_ENV, open_tab
from tests.scale.served import echo_words, is_prefix, stored, stored_when

TEXT = echo_words(3000)


async def start_answer(cluster, tabs, process, session_key):
    """An answer streaming on ``process`` with some text saved; its id."""
    sender = await open_tab(tabs, process, session_key)
    await sender.send(compose(f"[[echo]] [[speed:300]] {TEXT}"))
    answer_id = await sender.receive_opening()
    await stored_when(cluster, answer_id, lambda row: row["content"], wait=20)
    return answer_id


async def test_a_viewer_on_b_sees_the_answer_of_a_killed_process_become_interrupted(
    cluster, process_a, process_b, session_key, tabs
):
    answer_id = await start_answer(cluster, tabs, process_a, session_key)
    conversation_id = stored(cluster, answer_id)["conversation_id"]
    viewer = await open_tab(tabs, process_b, session_key, f"/c/{conversation_id}/")
    await viewer.receive_until(lambda html: len(viewer.answer_text(answer_id).split()) > 100)

    process_a.kill()
    killed = time.monotonic()
    shown_at_kill = viewer.answer_text(answer_id)
    await viewer.receive_until(lambda html: "state-interrupted" in html, wait=15)
    found_after = time.monotonic() - killed

    stale_after = float(CLUSTER_ENV["PLAYGROUND_STALE_AFTER_SECONDS"])
    assert found_after < stale_after + 3, f"B's sweep took {found_after:.1f} s"
    row = stored(cluster, answer_id)
    assert row["state"] == "interrupted"
    kept = row["content"][0]["text"]
    assert is_prefix(kept, TEXT) and len(kept.split()) > 50, "the saved text is kept"
    checkpoint_words = float(CLUSTER_ENV["PLAYGROUND_CHECKPOINT_SECONDS"]) * 300 * 2
    assert len(shown_at_kill.split()) - len(kept.split()) < checkpoint_words + 60, (
        "at most the last checkpoint interval is lost"
    )
    assert viewer.answer_text(answer_id) == kept.strip()
    footer = viewer.page.text(f"m-{answer_id}-footer")
    assert "Interrupted" in footer and "Retry" in footer


async def test_a_process_started_again_interrupts_what_its_previous_life_left_streaming(
    cluster, process_a, process_b, session_key, tabs
):
    # B's sweep, and A's own once restarted, must not be what finds it: B is stopped, and A comes
    # back with answers taken for stale only after ten minutes.
    # (Started from this thread: a child started from a worker thread would be stopped when that
    # thread ends, by the parent-death signal the cluster's processes ask for.)
    process_b.stop()
    answer_id = await start_answer(cluster, tabs, process_a, session_key)
    try:
        process_a.kill()
        process_a.env = {**process_a.env, "PLAYGROUND_STALE_AFTER_SECONDS": "600"}
        process_a.start()
        await stored_when(cluster, answer_id, lambda row: row["state"] != "streaming", wait=5)
    finally:
        process_a.env = {**process_a.env, **CLUSTER_ENV}
        process_a.stop()
        process_a.start()
        process_b.start()

    row = stored(cluster, answer_id)
    assert row["state"] == "interrupted"
    assert is_prefix(row["content"][0]["text"], TEXT) and row["content"][0]["text"]
    tab = await open_tab(tabs, process_a, session_key, f"/c/{row['conversation_id']}/")
    footer = tab.page.text(f"m-{answer_id}-footer")
    assert "Interrupted" in footer and "Retry" in footer
