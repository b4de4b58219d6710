"""The partial answer is saved at most once per checkpoint interval, never once per delta: the
database writes of a 2,000-token answer are bounded by how long it streams, not by its tokens.

Writes are counted by the database itself (SQLite triggers on the message table), whatever code
path makes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from playground.conversations.models import Message
from tests.compose import compose
from tests.streaming.conftest import echo_words, open_tab, stored

pytestmark = pytest.mark.django_db(transaction=True)

INTERVAL = 0.25
TOKENS = 2000


@pytest.fixture
def message_writes(transactional_db: None) -> Iterator[Callable[[int], list[tuple[str, int]]]]:
    """``writes(message_id)``: every INSERT and UPDATE of that message row, as (kind, seq)."""
    if connection.vendor != "sqlite":
        pytest.skip("writes are counted with SQLite triggers")
    table = Message._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE test_message_writes (kind TEXT, message_id INT, seq INT)")
        for kind in ("INSERT", "UPDATE"):
            cursor.execute(
                f"CREATE TRIGGER test_count_{kind.lower()} AFTER {kind} ON {table} BEGIN "  # noqa: S608
                f"INSERT INTO test_message_writes VALUES ('{kind}', NEW.id, NEW.seq); END"
            )

    def writes(message_id: int) -> list[tuple[str, int]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT kind, seq FROM test_message_writes WHERE message_id = %s", [message_id]
            )
            return list(cursor.fetchall())

    yield writes
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER test_count_insert")
        cursor.execute("DROP TRIGGER test_count_update")
        cursor.execute("DROP TABLE test_message_writes")


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


async def test_writes_of_a_2000_token_answer_are_bounded_by_its_duration(
    alice, settings, message_writes
):
    settings.PLAYGROUND_CHECKPOINT_SECONDS = INTERVAL
    tab = await open_tab(alice)
    slow = await stream_answer(tab, tokens_per_second=1000)
    fast = await stream_answer(tab, tokens_per_second=8000)

    for message in (slow, fast):
        writes = await sync_to_async(message_writes)(message.pk)
        inserts = [seq for kind, seq in writes if kind == "INSERT"]
        updates = [seq for kind, seq in writes if kind == "UPDATE"]
        seconds = message.duration_ms / 1000
        assert len(inserts) == 1
        # Checkpoints: at most one per interval (plus one for the last, partial interval); then
        # the final write, once.
        assert len(updates) <= seconds / INTERVAL + 2, (seconds, updates)
        assert updates == sorted(updates), "each checkpoint is of a later frame"
        assert updates[-1] == message.seq
    slow_updates = [k for k, _ in await sync_to_async(message_writes)(slow.pk) if k == "UPDATE"]
    fast_updates = [k for k, _ in await sync_to_async(message_writes)(fast.pk) if k == "UPDATE"]
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
