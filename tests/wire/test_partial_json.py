"""Partial tool-input JSON parses as the SDK's ``jiter`` partial mode parses it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jiter import from_json

from playground.wire.partial_json import parse_partial_json


def jiter_partial(text: str):
    return from_json(text.encode(), partial_mode=True)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES, ascii_only=st.booleans(), spaced=st.booleans(), data=st.data())
def test_every_prefix_of_a_document_parses_as_jiter_parses_it(value, ascii_only, spaced, data):
    text = json.dumps(value, ensure_ascii=ascii_only, indent=1 if spaced else None)
    cut = data.draw(st.integers(min_value=1, max_value=len(text)), label="cut")
    prefix = text[:cut]
    try:
        expected = jiter_partial(prefix)
    except ValueError:
        with pytest.raises(ValueError):
            parse_partial_json(prefix)
        return
    assert parse_partial_json(prefix) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1', {"a": 1}),
        ('{"a": 1.', {}),
        ('{"a": "unfinished', {}),
        ('{"a": "x", "b', {"a": "x"}),
        ('{"a": tru', {}),
        ('{"a": [1, {"b": 2', {"a": [1, {"b": 2}]}),
        ('{"a": "caf\\u00', {}),
        ("[1, 2,", [1, 2]),
        ('{"a": 1} trailing', {"a": 1}),
    ],
)
def test_cut_documents_keep_what_is_complete(text, expected):
    assert parse_partial_json(text) == expected == jiter_partial(text)


@pytest.mark.parametrize("text", ['{"a": nope}', '{"a" 1}', "", "   ", '"unfinished', "-"])
def test_what_is_not_json_or_has_no_value_yet_is_a_value_error(text):
    with pytest.raises(ValueError):
        parse_partial_json(text)
    with pytest.raises(ValueError):
        jiter_partial(text)
