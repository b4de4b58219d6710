"""Recorded transcripts folded by wire equal the official SDK's ``get_final_message()`` on the
same bytes, however the bytes are cut into chunks.

Where the SDK raises (an ``error`` event) or returns a message without ever seeing
``message_stop``, wire returns an error result whose partial message equals the SDK's snapshot.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import anthropic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.wire.fold import FoldResult, StreamFolder, fold_bytes

NAMES = sorted(path.stem for path in (Path(__file__).parent / "transcripts").glob("*.sse"))
# Transcripts that end in an error result, and its type; every other one folds to a message.
ERRORS = {
    "error_midstream": "overloaded_error",
    "error_before_start": "api_error",
    "incomplete": "incomplete_stream",
}


def fold_chunks(chunks: list[bytes]) -> FoldResult:
    folder = StreamFolder()
    for chunk in chunks:
        folder.feed(chunk)
    folder.close()
    return folder.result()


def assert_agrees_with_sdk(name: str, result: FoldResult, outcome) -> None:
    if name not in ERRORS:
        assert outcome.message is not None, f"the SDK failed on {name}: {outcome.raised!r}"
        assert result.ok, result.error
        assert result.message == outcome.message
        return
    assert result.error is not None
    assert result.error.type == ERRORS[name]
    if outcome.message is not None:
        # The SDK hands back whatever it had when the bytes ran out; wire says it is partial.
        assert result.partial == outcome.message
    else:
        assert result.partial == outcome.snapshot
        if isinstance(outcome.raised, anthropic.APIStatusError):
            assert outcome.raised.body["error"]["type"] == result.error.type


def test_there_is_a_transcript_for_every_error_case_and_more_that_succeed():
    assert set(ERRORS) < set(NAMES)
    assert len(NAMES) - len(ERRORS) >= 8


@pytest.mark.parametrize("name", NAMES)
def test_folding_a_whole_transcript_agrees_with_the_sdk(name, transcript, sdk_outcome):
    assert_agrees_with_sdk(name, fold_bytes(transcript(name)), sdk_outcome(name))


@pytest.mark.parametrize("name", NAMES)
def test_folding_one_byte_at_a_time_agrees_with_the_sdk(name, transcript, sdk_outcome):
    raw = transcript(name)
    result = fold_chunks([raw[i : i + 1] for i in range(len(raw))])
    assert_agrees_with_sdk(name, result, sdk_outcome(name))


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(NAMES), data=st.data())
def test_any_chunking_of_the_bytes_folds_to_the_same_result(name, data, transcript, sdk_outcome):
    raw = transcript(name)
    cuts = data.draw(
        st.lists(st.integers(min_value=1, max_value=len(raw) - 1), unique=True, max_size=60).map(
            sorted
        ),
        label="cuts",
    )
    bounds = [0, *cuts, len(raw)]
    chunks = [raw[start:end] for start, end in itertools.pairwise(bounds)]
    result = fold_chunks(chunks)
    assert result.to_dict() == fold_bytes(raw).to_dict()
    assert_agrees_with_sdk(name, result, sdk_outcome(name))
