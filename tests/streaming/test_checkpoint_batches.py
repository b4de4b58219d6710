"""The checkpoints of answers streaming at once go to the database together: one trip and one
transaction for all those due while the database thread is busy, each answer under its own rules
(saved if streaming, taken back if this process's answer was swept as stale, refused if stopped or
gone), one answer's fault costing the others nothing.

A process runs all its database work on one thread; the tests keep that thread busy as a burst of
users' sends would (a job that sleeps on it), and count the trips with the ``checkpoints_written``
signal and the writes with SQLite triggers (``tests/streaming/written.py``).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User

from playground.cluster.identity import process_name
from playground.conversations.models import Conversation, Message
from playground.streaming.checkpoints import checkpoint_save
from tests.compose import compose
from tests.streaming.conftest import Tab, echo_words, open_tab, stored
from tests.streaming.written import Trip, Write, checkpoint_trips, message_writes

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = 1000
SPEED = 400  # tokens a second: each answer streams for 2.5 s


@pytest.fixture
def writes(transactional_db: None) -> Iterator[Callable[[int], list[Write]]]:
    with message_writes() as recorded:
        yield recorded


@pytest.fixture
def trips() -> Iterator[list[Trip]]:
    with checkpoint_trips() as recorded:
        yield recorded


async def start_answers(users: list[User], per_user: int) -> list[tuple[Tab, int, str]]:
    """``per_user`` answers streaming at once for each user, one tab each: (tab, id, full text)."""
    started = []
    for user in users:
        for n in range(per_user):
            text = echo_words(WORDS, start=n * WORDS)
            tab = await open_tab(user)
            await tab.send(compose(f"[[echo]] [[speed:{SPEED}]] {text}"))
            started.append((tab, text))
    return [(tab, await tab.receive_opening(), text) for tab, text in started]


async def follow(tab: Tab, answer_id: int) -> set[str]:
    """Receive the answer to its end; every text its body showed along the way."""
    body = f"m-{answer_id}-b-0-body"
    shown = {""}

    def record(html: str) -> bool:
        node = tab.page.by_id(body)
        if node is not None:
            shown.add(node.text().strip())
        return f'hx-get="/m/{answer_id}/"' in html

    await tab.receive_until(record, wait=30)
    await tab.run_loads()
    return shown


def busy_database_thread(
    seconds: float,
    then: Callable[[], None] | None = None,
    *,
    first: Callable[[], None] | None = None,
) -> int:
    """Occupy the database thread (what a burst of other work does); its thread id. ``first``
    runs as the thread takes this job, when every job queued before it is done."""
    if first is not None:
        first()
    time.sleep(seconds)
    if then is not None:
        then()
    return threading.get_ident()


async def test_answers_streaming_at_once_are_checkpointed_in_fewer_trips_than_writes(
    alice, bob, settings, writes, trips
):
    settings.PLAYGROUND_CHECKPOINT_SECONDS = 0.1
    answers = await start_answers([alice, bob], per_user=4)
    followers = [asyncio.create_task(follow(tab, answer_id)) for tab, answer_id, _ in answers]
    await asyncio.sleep(0.3)
    database_thread = await sync_to_async(busy_database_thread)(0.6)
    shown = await asyncio.gather(*followers)

    checkpoints = 0
    for (_, answer_id, text), texts in zip(answers, shown, strict=True):
        message = await stored(answer_id)
        assert message.state == Message.State.COMPLETE
        assert message.content == [{"type": "text", "text": text}]
        written = await sync_to_async(writes)(answer_id)
        saved = [w for w in written if w.kind == "UPDATE" and w.state == Message.State.STREAMING]
        assert len(saved) >= 3, "each answer is checkpointed while it streams"
        for write in saved:
            assert write.text.strip() in texts, "a checkpoint holds what a frame showed"
        # Every checkpoint the database received came in one of the writer's trips.
        carried = [
            (checkpoint.seq, checkpoint.content)
            for trip in trips
            for checkpoint, ok in trip.written
            if checkpoint.message_id == answer_id and ok is True
        ]
        assert [(write.seq, write.content) for write in saved] == carried
        checkpoints += len(saved)

    assert all(ok is True for trip in trips for _, ok in trip.written)
    assert {trip.thread for trip in trips} == {database_thread}, "one thread does the writes"
    assert len(trips) < checkpoints
    biggest = max(len(trip.written) for trip in trips)
    assert biggest >= len(answers) // 2, "those due while the thread was busy went in one trip"


async def test_an_answer_stopped_elsewhere_stops_at_a_checkpoint_shared_with_answers_that_go_on(
    alice, bob, settings, trips
):
    settings.PLAYGROUND_CHECKPOINT_SECONDS = 0.1
    answers = await start_answers([alice], per_user=4) + await start_answers([bob], per_user=2)
    followers = [asyncio.create_task(follow(tab, answer_id)) for tab, answer_id, _ in answers]
    ids = {answer_id for _, answer_id, _ in answers}
    await asyncio.sleep(0.3)

    stopped: list[int] = []
    since = 0

    def count_the_trips_made() -> None:
        # On the database thread as the busy job starts: a trip queued before it is done and
        # counted, so that only the trips queued behind it count as "just made" below.
        nonlocal since
        since = len(trips)

    def stop_one_in_the_next_batch() -> None:
        """What a Stop pressed in another process does, to an answer whose checkpoint waits for
        the next trip with others (any answer the trip just made did not carry)."""
        waiting = sorted(ids - set().union(*(trip.ids() for trip in trips[since:])))
        assert len(waiting) >= 2, waiting
        Message.objects.filter(pk=waiting[0], state=Message.State.STREAMING).update(
            state=Message.State.STOPPED
        )
        stopped.append(waiting[0])

    # The thread is busy: the first checkpoint due takes the next trip (queued behind this job),
    # the others gather; the Stop is queued behind that trip, so it lands before theirs.
    busy = asyncio.create_task(sync_to_async(busy_database_thread)(0.6, first=count_the_trips_made))
    await asyncio.sleep(0.3)
    await sync_to_async(busy_database_thread)(0, then=stop_one_in_the_next_batch)
    await busy
    await asyncio.gather(*followers)

    [stopped_id] = stopped
    trip = next(trip for trip in trips if trip.outcome(stopped_id) is False)
    going_on = [c.message_id for c, ok in trip.written if ok is True]
    assert going_on, "the trip that told it to stop saved other answers, which went on"
    for tab, answer_id, text in answers:
        message = await stored(answer_id)
        if answer_id == stopped_id:
            assert message.state == Message.State.STOPPED
            kept = message.content[0]["text"]
            assert text.startswith(kept) and len(kept) < len(text), "it stopped early"
            assert "Stopped" in tab.page.text(f"m-{answer_id}-footer")
        else:
            assert message.state == Message.State.COMPLETE
            assert message.content == [{"type": "text", "text": text}]


async def answer_row(conversation: Conversation, *, state: str, runner: str = "") -> Message:
    return await Message.objects.acreate(
        conversation=conversation,
        role="assistant",
        state=state,
        content=[{"type": "text", "text": "before"}],
        seq=2,
        runner=runner,
    )


async def test_each_answer_in_a_batch_keeps_its_own_rules_and_its_own_fault(alice, trips):
    conversation = await Conversation.objects.acreate(user=alice)
    streaming = await answer_row(conversation, state=Message.State.STREAMING)
    ours_swept = await answer_row(
        conversation, state=Message.State.INTERRUPTED, runner=process_name()
    )
    theirs_swept = await answer_row(
        conversation, state=Message.State.INTERRUPTED, runner="another process"
    )
    stopped = await answer_row(conversation, state=Message.State.STOPPED)
    faulty = await answer_row(conversation, state=Message.State.STREAMING)
    after = [{"type": "text", "text": "after"}]
    unstorable = [{"type": "text", "text": object()}]  # no JSON for it: this one write fails

    outcomes = await asyncio.gather(
        *(
            checkpoint_save(message_id=answer.pk, content=content, seq=5)
            for answer, content in [
                (streaming, after),
                (ours_swept, after),
                (theirs_swept, after),
                (stopped, after),
                (faulty, unstorable),
            ]
        ),
        return_exceptions=True,
    )

    assert outcomes[:4] == [True, True, False, False]
    assert isinstance(outcomes[4], TypeError)
    assert len(trips) == 1 and len(trips[0].written) == 5, "asked at once, written in one trip"
    expected = [
        (streaming, Message.State.STREAMING, after, 5),
        (ours_swept, Message.State.STREAMING, after, 5),  # taken back: this process runs it
        (theirs_swept, Message.State.INTERRUPTED, [{"type": "text", "text": "before"}], 2),
        (stopped, Message.State.STOPPED, [{"type": "text", "text": "before"}], 2),
        (faulty, Message.State.STREAMING, [{"type": "text", "text": "before"}], 2),
    ]
    for answer, state, content, seq in expected:
        row = await stored(answer.pk)
        assert (row.state, row.content, row.seq) == (state, content, seq), answer
