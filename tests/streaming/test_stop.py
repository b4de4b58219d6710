"""The Stop button ends an answer and keeps what arrived; closing the tab does not stop it."""

from __future__ import annotations

import asyncio

import pytest

from playground.conversations.models import Message
from playground.streaming.runner import generation_get
from tests.compose import compose
from tests.streaming.conftest import answer_streaming_elsewhere, echo_words, open_tab, stored

pytestmark = pytest.mark.django_db(transaction=True)


async def test_stop_ends_the_answer_and_keeps_what_arrived(alice):
    tab = await open_tab(alice)
    text = echo_words(1000)
    await tab.send(compose(f"[[echo]] [[speed:400]] {text}"))
    answer_id = await tab.receive_opening()
    await tab.receive_until(lambda html: f"m-{answer_id}-b-0-body" in html)
    await tab.receive()

    # As the footer's form sends it: the id is a string.
    await tab.send({"action": "stop", "message_id": str(answer_id), "HEADERS": {}})
    await tab.until_finished(answer_id, wait=5)

    message = await stored(answer_id)
    assert message.state == Message.State.STOPPED
    kept = message.content[0]["text"]
    assert kept and text.startswith(kept) and len(kept) < len(text)
    assert tab.page.text(f"m-{answer_id}-b-0-body").strip() == kept.strip()
    footer = tab.page.by_id(f"m-{answer_id}-footer")
    assert "Stopped" in footer.text() and "Retry" in footer.text()
    assert message.duration_ms < 2500, "it did not run to its end (2.5 s)"


async def test_closing_the_tab_does_not_stop_the_answer(alice):
    tab = await open_tab(alice)
    text = echo_words(300)
    await tab.send(compose(f"[[echo]] [[speed:1000]] {text}"))
    answer_id = await tab.receive_opening()
    await tab.close()

    generation = generation_get(answer_id)
    assert generation is not None, "still running with no one watching"
    await generation.task
    message = await stored(answer_id)
    assert message.state == Message.State.COMPLETE
    assert message.content == [{"type": "text", "text": text}]


async def test_bob_cannot_stop_alices_answer(alice, bob):
    alices_tab = await open_tab(alice)
    await alices_tab.send(compose(f"[[echo]] [[speed:1000]] {echo_words(300)}"))
    answer_id = await alices_tab.receive_opening()

    bobs_tab = await open_tab(bob)
    await bobs_tab.send(compose("[[echo]] mine"))
    await bobs_tab.receive_opening()
    await bobs_tab.send({"action": "stop", "message_id": answer_id})

    await alices_tab.until_finished(answer_id)
    assert (await stored(answer_id)).state == Message.State.COMPLETE


async def test_stopping_an_answer_no_process_here_writes_marks_it_stopped_for_every_viewer(alice):
    """Its generation runs elsewhere (it notices at its next checkpoint) or nowhere any more."""
    answer = await answer_streaming_elsewhere(alice, text="So far", seq=4)
    tab = await open_tab(alice, f"/c/{answer.conversation_id}/")
    other = await open_tab(alice, f"/c/{answer.conversation_id}/", client=tab.client)
    await tab.receive()
    await other.receive()

    await tab.send({"action": "stop", "message_id": str(answer.pk)})

    for viewer in (tab, other):
        await viewer.receive_until(lambda html: "state-stopped" in html)
        assert "Stopped" in viewer.page.text(f"m-{answer.pk}-footer")
    stopped = await stored(answer.pk)
    assert stopped.state == Message.State.STOPPED
    assert stopped.content == [{"type": "text", "text": "So far"}]


async def test_an_answer_cut_by_the_server_shutting_down_is_kept_as_interrupted(alice):
    tab = await open_tab(alice)
    text = echo_words(1000)
    await tab.send(compose(f"[[echo]] [[speed:500]] {text}"))
    answer_id = await tab.receive_opening()
    # Some of the answer has arrived (the block's shell may come alone, before its first token).
    await tab.receive_until(lambda html: f"m-{answer_id}-b-0-body" in html and "w0" in html)

    generation = generation_get(answer_id)
    generation.task.cancel()  # what stopping the event loop does to every task
    with pytest.raises(asyncio.CancelledError):
        await generation.task

    message = await stored(answer_id)
    assert message.state == Message.State.INTERRUPTED
    kept = message.content[0]["text"]
    assert kept and text.startswith(kept) and len(kept) < len(text)
    await tab.receive_until(lambda html: "Interrupted" in html)
