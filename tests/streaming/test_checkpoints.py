"""The partial answer is saved at most once per checkpoint interval, never once per delta: the
database writes of a 2,000-token answer are bounded by how long it streams, not by its tokens.

Writes are counted by the database itself (SQLite triggers on the message table, see
``tests/streaming/written.py``), whatever code path makes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from asgiref.sync import sync_to_async

from playground.conversations.models import Message
from tests.compose import compose
from tests.streaming.conftest import echo_words, open_tab, stored
from tests.streaming.written import Write, message_writes

pytestmark = pytest.mark.django_db(transaction=True)

INTERVAL = 0.25
TOKENS = 2000


@pytest.fixture
def writes(transactional_db: None) -> Iterator[Callable[[int], list[Write]]]:
    with message_writes() as recorded:
        yield recorded


async def stream_answer(tab, tokens_per_second: int) -> Message:
    text = echo_words(TOKENS)
    await tab.send(compose(f"[[echo]] [[speed:{tokens_per_second}]] {text}"))
    answer_id = await tab.receive_opening()
    await tab.until_finished(answer_id)
    message = await stored(answer_id)
    assert message.state == Message.State.COMPLETE
    assert message.usage["output_tokens"] == TOKENS
    assert message.content == [{"type": "text", "text": text}]
    return message


async def test_writes_of_a_2000_token_answer_are_bounded_by_its_duration(alice, settings, writes):
    settings.PLAYGROUND_CHECKPOINT_SECONDS = INTERVAL
    tab = await open_tab(alice)
    slow = await stream_answer(tab, tokens_per_second=1000)
    fast = await stream_answer(tab, tokens_per_second=8000)

    for message in (slow, fast):
        written = await sync_to_async(writes)(message.pk)
        inserts = [write.seq for write in written if write.kind == "INSERT"]
        updates = [write.seq for write in written if write.kind == "UPDATE"]
        seconds = message.duration_ms / 1000
        assert len(inserts) == 1
        # Checkpoints: at most one per interval (plus one for the last, partial interval); then
        # the final write, once.
        assert len(updates) <= seconds / INTERVAL + 2, (seconds, updates)
        assert updates == sorted(updates), "each checkpoint is of a later frame"
        assert updates[-1] == message.seq
    slow_updates = [w for w in await sync_to_async(writes)(slow.pk) if w.kind == "UPDATE"]
    fast_updates = [w for w in await sync_to_async(writes)(fast.pk) if w.kind == "UPDATE"]
    assert len(slow_updates) >= 4, "a 2 s answer is checkpointed while it streams"
    assert len(fast_updates) < len(slow_updates), "same tokens, shorter answer, fewer writes"


async def test_a_checkpoint_holds_the_answer_as_far_as_its_frame(alice, settings):
    settings.PLAYGROUND_CHECKPOINT_SECONDS = 0.1
    tab = await open_tab(alice)
    text = echo_words(1500)
    await tab.send(compose(f"[[echo]] [[speed:1500]] {text}"))
    answer_id = await tab.receive_opening()
    body = f"m-{answer_id}-b-0-body"
    await tab.receive_until(lambda html: len(tab.page.text(body).split()) > 300)

    checkpoint = await stored(answer_id)
    assert checkpoint.state == Message.State.STREAMING
    saved = checkpoint.content[0]["text"]
    assert saved and text.startswith(saved) and len(saved) < len(text)
    assert checkpoint.seq > 1
