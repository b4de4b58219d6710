"""A socket applies frames strictly in order: a gap (a frame the channel layer dropped) asks for a
resync, and frames that came early are applied after the snapshot that precedes them."""

from __future__ import annotations

from playground.streaming.ordering import FrameOrder


def frames(order: FrameOrder, *seqs: int, final_at: int | None = None) -> tuple[list[str], bool]:
    sent, gap = [], False
    for seq in seqs:
        ready, wants_resync = order.receive(7, seq, f"f{seq}", final=seq == final_at)
        sent += ready
        gap = gap or wants_resync
    return sent, gap


def test_frames_in_order_are_sent_as_they_come():
    order = FrameOrder()
    assert frames(order, 1, 2, 3) == (["f1", "f2", "f3"], False)


def test_a_frame_already_in_a_snapshot_is_not_sent_again():
    order = FrameOrder()
    assert order.synced(7, 5, final=False) == []
    assert frames(order, 4, 5, 6) == (["f6"], False)


def test_a_dropped_frame_asks_for_a_resync_and_nothing_after_it_is_shown_before():
    order = FrameOrder()
    assert frames(order, 1, 2, 4, 5) == (["f1", "f2"], True)
    # The snapshot covers up to 4 (the generation was there): 5 follows it.
    assert order.synced(7, 4, final=False) == ["f5"]
    assert not order.waiting(7)
    assert frames(order, 6) == (["f6"], False)


def test_an_older_snapshot_leaves_the_early_frames_waiting_for_the_next_one():
    order = FrameOrder()
    frames(order, 1, 2)
    frames(order, 5, 6)
    assert order.synced(7, 3, final=False) == []  # a checkpoint at 3: frame 4 is still missing
    assert order.waiting(7)
    assert order.synced(7, 4, final=False) == ["f5", "f6"]
    assert not order.waiting(7)


def test_the_first_frame_of_an_unknown_answer_after_its_opening_asks_for_a_resync():
    order = FrameOrder()
    assert frames(order, 3) == ([], True)
    assert order.synced(7, 3, final=False) == []
    assert frames(order, 4) == (["f4"], False)


def test_after_the_last_frame_only_a_repeated_last_frame_is_sent():
    order = FrameOrder()
    assert frames(order, 1, 2, final_at=2) == (["f1", "f2"], False)
    assert frames(order, 3) == ([], False)
    assert order.receive(7, 9, "last again", final=True) == (["last again"], False)


def test_a_final_snapshot_ends_the_answer():
    order = FrameOrder()
    frames(order, 1, 3)
    assert order.synced(7, 12, final=True) == []
    assert not order.waiting(7)
    assert frames(order, 2, 4) == ([], False)
