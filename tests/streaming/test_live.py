"""The live view of an answer: a snapshot at any frame plus the frames after it shows every delta
exactly once, however the deltas fall into frames."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.streaming.live import LiveMessage
from tests.streaming.dom import Page

BLOCKS = [
    {"type": "thinking", "thinking": "", "signature": ""},
    {"type": "text", "text": ""},
    {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}},
]
DELTA = {"thinking": "thinking_delta", "text": "text_delta", "tool_use": "input_json_delta"}
FIELD = {"thinking": "thinking", "text": "text", "tool_use": "partial_json"}

# Pieces with characters that must be escaped, and spaces that must survive.
pieces = st.text(alphabet="ab <>&\"'é\n", min_size=1, max_size=6)


@st.composite
def streams(draw):
    """Events of a three-block answer, with a frame taken or a snapshot made between any two."""
    steps = []
    for index, block in enumerate(BLOCKS):
        steps.append(("event", "content_block_start", {"index": index, "content_block": block}))
        for piece in draw(st.lists(pieces, max_size=8)):
            kind = block["type"]
            delta = {"type": DELTA[kind], FIELD[kind]: piece}
            steps.append(("event", "content_block_delta", {"index": index, "delta": delta}))
    marked = []
    for step in steps:
        marked.append(step)
        marked += draw(st.lists(st.sampled_from([("frame",), ("snapshot",)]), max_size=2))
    return marked


@settings(max_examples=60, deadline=None)
@given(streams())
def test_any_snapshot_followed_by_the_later_frames_shows_every_delta_once(steps):
    live = LiveMessage(
        message_id=7, conversation_id=3, model="deepseek-v4-flash", status="Waiting…"
    )
    frames = [live.opening_frame()]
    snapshots = [(live.snapshot_seq, live.snapshot(in_page=False))]
    expected = ["", "", ""]
    for step in steps:
        if step[0] == "event":
            _, event_type, data = step
            live.apply(event_type, data)
            if event_type == "content_block_delta":
                kind = BLOCKS[data["index"]]["type"]
                expected[data["index"]] += data["delta"][FIELD[kind]]
        elif step[0] == "frame" and (frame := live.take_frame()) is not None:
            frames.append(frame)
        elif step[0] == "snapshot":
            snapshots.append((live.snapshot_seq, live.snapshot(in_page=False)))
    if (last := live.take_frame()) is not None:
        frames.append(last)

    for seq, snapshot in snapshots:
        page = Page('<div id="messages"></div>')
        page.apply(snapshot)
        for frame in frames[seq:]:
            page.apply(frame)
        for index in range(len(BLOCKS)):
            assert page.text(f"m-7-b-{index}-body") == expected[index]
        assert not page.missing_targets
