"""A word-level diff of two texts, for showing how two lanes' answers differ."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|\S+")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "removed" (only in the first text) or "added" (only in the second)
    text: str


def word_diff(first: str, second: str) -> list[Piece]:
    """The pieces that turn ``first`` into ``second``, word by word (spaces kept as they were)."""
    a, b = _TOKENS.findall(first), _TOKENS.findall(second)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(a[a_start:a_end])))
            continue
        if a_end > a_start:
            pieces.append(Piece("removed", "".join(a[a_start:a_end])))
        if b_end > b_start:
            pieces.append(Piece("added", "".join(b[b_start:b_end])))
    return pieces
