"""The SSE decoder follows the WHATWG event-stream rules whatever the chunking."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.wire.sse import ServerSentEvent, SSEDecoder


def decode(*chunks: bytes) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    return events + decoder.close()


def test_an_event_has_its_name_and_data():
    assert decode(b"event: ping\ndata: {}\n\n") == [ServerSentEvent("ping", "{}")]


def test_lines_may_end_in_crlf_lf_or_cr_even_in_one_stream():
    stream = b"event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n"
    assert [(e.event, e.data) for e in decode(stream)] == [("a", "1"), ("b", "2"), ("c", "3")]


def test_a_crlf_split_between_chunks_is_one_line_end():
    events = decode(b"data: x\r", b"\n\r", b"\ndata: y\r", b"\r")
    assert [e.data for e in events] == ["x", "y"]


def test_several_data_lines_are_joined_with_newlines():
    assert decode(b'data: {\ndata:   "a": 1\ndata: }\n\n')[0].data == '{\n  "a": 1\n}'


def test_only_one_space_after_the_colon_is_removed():
    assert decode(b"data:no space\n\ndata:  two spaces\n\n")[0].data == "no space"
    assert decode(b"data:  two spaces\n\n")[0].data == " two spaces"


def test_an_event_without_an_event_line_has_no_name():
    assert decode(b'data: {"type": "x"}\n\n') == [ServerSentEvent(None, '{"type": "x"}')]


def test_comments_are_surfaced_in_order_and_counted():
    decoder = SSEDecoder()
    events = decoder.feed(b": keep-alive\n\n:\n\ndata: 1\n\n: after\n")
    assert [(e.comment, e.data) for e in events] == [
        ("keep-alive", ""),
        ("", ""),
        (None, "1"),
        ("after", ""),
    ]
    assert decoder.comments == 3


def test_a_block_without_data_dispatches_nothing():
    assert decode(b"event: ping\n\n") == []
    assert decode(b"data\n\n") == [ServerSentEvent(None, "")]  # a data field with no value


def test_an_event_missing_its_blank_line_at_the_end_of_the_stream_is_dropped():
    decoder = SSEDecoder()
    assert decoder.feed(b"data: 1\n\ndata: 2\n") == [ServerSentEvent(None, "1")]
    assert decoder.has_partial_event
    assert decoder.close() == []


def test_id_is_remembered_across_events_and_ignored_when_it_holds_a_null():
    events = decode(b"id: 7\ndata: a\n\ndata: b\n\nid: x\x00y\ndata: c\n\n")
    assert [e.id for e in events] == ["7", "7", "7"]


def test_retry_is_taken_only_when_it_is_all_digits():
    events = decode(b"retry: 3000\ndata: a\n\nretry: 3s\ndata: b\n\n")
    assert [e.retry for e in events] == [3000, None]


def test_unknown_fields_are_ignored():
    assert decode(b"foo: bar\nevent: x\ndata: 1\n\n") == [ServerSentEvent("x", "1")]


def test_a_leading_byte_order_mark_is_skipped_once():
    assert decode(b"\xef\xbb\xbfdata: 1\n\n")[0].data == "1"
    assert decode(b"data: 1\n\n\xef\xbb\xbfdata: 2\n\n")[1:] == []  # later, it is a field name


def test_a_multibyte_character_split_between_chunks_survives():
    raw = "data: café 🙂\n\n".encode()
    split = raw.index("🙂".encode()) + 2
    assert decode(raw[:split], raw[split:])[0].data == "café 🙂"


def test_invalid_utf8_becomes_replacement_characters_rather_than_an_exception():
    assert decode(b"data: \xff\n\n")[0].data == "\ufffd"


LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])
FIELD_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=12
)


@st.composite
def streams(draw) -> tuple[bytes, list[tuple[str | None, str]]]:
    """A stream of events with random names, data lines and line ends, and what it holds."""
    expected = []
    parts = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        name = draw(st.none() | FIELD_TEXT.filter(lambda t: t != ""))
        data = draw(st.lists(FIELD_TEXT, min_size=1, max_size=3))
        lines = ([f"event: {name}"] if name is not None else []) + [f"data: {d}" for d in data]
        if draw(st.booleans()):
            lines.insert(0, ": keep-alive")
        for line in lines:
            parts.append(line + draw(LINE_ENDS))
        # A CR ending one line and an LF ending the blank line after it would make one CRLF.
        blank = draw(LINE_ENDS)
        parts.append("\r\n" if blank == "\n" and parts[-1].endswith("\r") else blank)
        expected.append((name, "\n".join(data)))
    return "".join(parts).encode(), expected


@settings(max_examples=300, deadline=None)
@given(stream=streams(), data=st.data())
def test_any_stream_cut_anywhere_decodes_to_its_events(stream, data):
    raw, expected = stream
    cuts = sorted(data.draw(st.sets(st.integers(min_value=0, max_value=len(raw)), max_size=20)))
    bounds = [0, *cuts, len(raw)]
    chunks = [raw[a:b] for a, b in itertools.pairwise(bounds)]
    events = [e for e in decode(*chunks) if e.comment is None]
    assert [(e.event, e.data) for e in events] == expected
