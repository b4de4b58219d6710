"""A socket that sees a gap in an answer's frames resyncs from the generation's state (in this
process) or from the last checkpoint (another process), never showing a hole or a repeat."""

from __future__ import annotations

import pytest
from channels.layers import get_channel_layer

from playground.conversations.models import Message
from playground.streaming import fragments
from playground.streaming.runner import FRAME_EVENT, conversation_group, generation_get
from tests.compose import compose
from tests.streaming.conftest import answer_streaming_elsewhere, echo_words, open_tab, stored

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_gap_in_the_frames_brings_a_snapshot_and_no_hole(alice):
    tab = await open_tab(alice)
    text = echo_words(800)
    await tab.send(compose(f"[[echo]] [[speed:1000]] {text}"))
    answer_id = await tab.receive_opening()
    await tab.receive_until(lambda html: f"m-{answer_id}-b-0-body" in html)
    generation = generation_get(answer_id)
    conversation_id = generation.spec.conversation_id

    # A frame far ahead: as if every frame in between had been dropped by the channel layer.
    skipped = fragments.text_append(message_id=answer_id, index=0, text=" HOLE ")
    await get_channel_layer().group_send(
        conversation_group(conversation_id),
        {
            "type": FRAME_EVENT,
            "message_id": answer_id,
            "seq": generation.live.seq + 1000,
            "html": skipped,
            "final": False,
        },
    )
    snapshot = await tab.receive_until(lambda html: html.startswith(f'<article id="m-{answer_id}"'))
    assert 'hx-swap-oob="outerHTML"' in snapshot
    await tab.receive_until(lambda html: f'hx-get="/m/{answer_id}/"' in html)

    assert tab.page.text(f"m-{answer_id}-b-0-body") == text
    assert "HOLE" not in "".join(tab.received)


async def test_a_viewer_of_an_answer_written_elsewhere_catches_up_from_its_checkpoints(
    alice, settings
):
    """No generation runs here: another process writes the answer, checkpoints it and sends its
    frames through the channel layer."""
    settings.PLAYGROUND_CHECKPOINT_SECONDS = 0.05
    answer = await answer_streaming_elsewhere(alice, text="one ", seq=3)

    tab = await open_tab(alice, f"/c/{answer.conversation_id}/")
    await tab.receive()  # the checkpoint, as a snapshot
    body = f"m-{answer.pk}-b-0-body"
    assert tab.page.text(body) == "one "

    async def frame(seq: int, text: str) -> None:
        await get_channel_layer().group_send(
            conversation_group(answer.conversation_id),
            {
                "type": FRAME_EVENT,
                "message_id": answer.pk,
                "seq": seq,
                "html": fragments.text_append(message_id=answer.pk, index=0, text=text),
                "final": False,
            },
        )

    await frame(4, "two ")
    await tab.receive()
    await frame(6, "four ")  # 5 was dropped
    # The checkpoint (3) is older than what the page shows (4): nothing is sent, nothing lost.
    assert await tab.socket.receive_nothing(timeout=0.2)
    assert tab.page.text(body) == "one two "
    await Message.objects.filter(pk=answer.pk).aupdate(
        content=[{"type": "text", "text": "one two three "}], seq=5
    )
    await tab.receive()  # the next resync, from the checkpoint at 5, then frame 6
    await tab.receive()
    assert tab.page.text(body) == "one two three four "
    assert (await stored(answer.pk)).state == Message.State.STREAMING


async def test_an_answer_whose_last_frame_was_lost_is_shown_ended_within_a_heartbeat(
    alice, settings
):
    """A dropped last frame leaves no gap to notice; the socket asks the database instead."""
    settings.PLAYGROUND_HEARTBEAT_SECONDS = 0.1
    answer = await answer_streaming_elsewhere(alice, text="Half an ", seq=3)
    tab = await open_tab(alice, f"/c/{answer.conversation_id}/")
    await tab.receive()  # the checkpoint, as a snapshot
    assert "state-streaming" in tab.page.by_id(f"m-{answer.pk}").classes()

    # The other process writes the end; its last frame never reaches this socket.
    await Message.objects.filter(pk=answer.pk).aupdate(
        state=Message.State.COMPLETE,
        content=[{"type": "text", "text": "Half an answer."}],
        stop_reason="end_turn",
        seq=9,
    )
    await tab.receive_until(
        lambda _: "state-complete" in tab.page.by_id(f"m-{answer.pk}").classes()
    )
    assert tab.page.text(f"m-{answer.pk}-b-0-body").strip() == "Half an answer."
    assert await tab.socket.receive_nothing(timeout=0.3), "resynced once, not every heartbeat"
