"""Tokens are word pieces that join back into the text they came from."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from playground.simulator.tokens import count_tokens, split_tokens


def test_a_token_is_a_word_with_its_spaces_or_a_punctuation_mark():
    assert split_tokens("Hello, world!  Bye") == ["Hello", ", ", "world", "!  ", "Bye"]


def test_leading_blanks_are_a_token_of_their_own():
    assert split_tokens("\n\nHi") == ["\n\n", "Hi"]


@given(st.text())
def test_tokens_join_back_into_the_text_and_are_counted(text):
    tokens = split_tokens(text)

    assert "".join(tokens) == text
    assert count_tokens(text) == len(tokens)
