"""The in-memory channel layer of a single-process server sweeps expired messages once a second
and delivers group sends in place."""

import asyncio

from channels.layers import InMemoryChannelLayer

from playground.streaming import layers
from playground.streaming.layers import SweepingInMemoryChannelLayer


async def test_it_delivers_like_the_stock_layer():
    layer = SweepingInMemoryChannelLayer()
    channel = await layer.new_channel()
    await layer.group_add("conversation-1", channel)

    await layer.group_send("conversation-1", {"type": "stream.frame", "seq": 1})

    assert await layer.receive(channel) == {"type": "stream.frame", "seq": 1}


async def test_expired_messages_are_still_dropped_at_the_next_sweep(monkeypatch):
    monkeypatch.setattr(layers, "SWEEP_SECONDS", 0.05)
    layer = SweepingInMemoryChannelLayer(expiry=0.01)
    stale = await layer.new_channel()
    fresh = await layer.new_channel()
    await layer.send(stale, {"type": "old"})
    await asyncio.sleep(0.1)

    await layer.send(fresh, {"type": "new"})
    assert await layer.receive(fresh) == {"type": "new"}  # the sweep runs here

    assert stale not in layer.channels


async def test_between_sweeps_the_layer_does_not_walk_its_queues(monkeypatch):
    walks = 0
    stock_sweep = InMemoryChannelLayer._clean_expired

    def counting_sweep(self):
        nonlocal walks
        walks += 1
        stock_sweep(self)

    monkeypatch.setattr(InMemoryChannelLayer, "_clean_expired", counting_sweep)
    layer = SweepingInMemoryChannelLayer()
    channel = await layer.new_channel()
    for n in range(50):
        await layer.send(channel, {"type": "frame", "n": n})
        await layer.receive(channel)

    assert walks == 1


async def test_a_group_send_reaches_every_member_without_a_task_or_a_turn_of_the_loop(
    monkeypatch,
):
    layer = SweepingInMemoryChannelLayer(capacity=1)
    full, *others = [await layer.new_channel() for _ in range(3)]
    for channel in (full, *others):
        await layer.group_add("conversation-1", channel)
    await layer.send(full, {"type": "waiting"})  # this viewer's queue is full: it misses the frame

    def no_task(*args, **kwargs):
        raise AssertionError("group_send created a task")

    monkeypatch.setattr(asyncio, "create_task", no_task)
    send = layer.group_send("conversation-1", {"type": "stream.frame", "seq": 2})
    # One step of the coroutine does it all: it never waits for the loop.
    try:
        send.send(None)
    except StopIteration:
        pass
    else:
        raise AssertionError("group_send suspended")
    monkeypatch.undo()

    assert [await layer.receive(channel) for channel in others] == [
        {"type": "stream.frame", "seq": 2}
    ] * 2
    assert layer.channels[full].qsize() == 1
    assert await layer.receive(full) == {"type": "waiting"}
