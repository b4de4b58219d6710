"""The Simulator's token model: a token is a word with the spaces after it, or one punctuation mark
with the spaces after it. Joining a text's tokens gives the text back, byte for byte."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")


def split_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def count_tokens(text: str) -> int:
    return sum(1 for _ in _TOKEN.finditer(text))
