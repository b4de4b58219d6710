"""Parse the JSON of a tool input that is still arriving, the way the official SDK does.

Tool inputs stream as ``input_json_delta`` fragments. The SDK re-parses the whole buffer after
every fragment with ``jiter`` in partial mode; we parse only when someone looks (a snapshot, the
final message), with the same answers for every prefix of a valid document:

- containers still open are closed where the text stops;
- a string, key or literal cut short is left out (with its key, inside an object);
- a number at the very end counts if it is a number as it stands (``12`` yes, ``1.`` no);
- text after a complete document is ignored.

Anything else that is not JSON raises ``ValueError``, as ``jiter`` does.
"""

from __future__ import annotations

import json
import re
from typing import Any

_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_STRING_PREFIX = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{0,4})?)*\Z')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_NUMBER_CHARS = re.compile(r"[-+0-9.eE]+")
_SPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = {"true": True, "false": False, "null": None}
_NONFINITE = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


class _Incomplete(Exception):
    """The text ended inside a value, which is then left out."""


def parse_partial_json(text: str) -> Any:
    """The value a possibly truncated JSON document holds so far; ValueError if it is not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    parser = _Parser(text)
    try:
        return parser.value()
    except _Incomplete:
        raise ValueError("the JSON ends before its first value is complete") from None


class _Parser:
    __slots__ = ("pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip_space(self) -> bool:
        """Move past whitespace; False when the text has ended."""
        self.pos = _SPACE.match(self.text, self.pos).end()
        return self.pos < len(self.text)

    def incomplete(self) -> _Incomplete:
        """The text ends inside the value being read: nothing after it can be read either."""
        self.pos = len(self.text)
        return _Incomplete()

    def error(self, expected: str) -> ValueError:
        return ValueError(f"expected {expected} at character {self.pos}")

    def value(self) -> Any:
        if not self.skip_space():
            raise self.incomplete()
        char = self.text[self.pos]
        if char == "{":
            return self.object()
        if char == "[":
            return self.array()
        if char == '"':
            return self.string()
        return self.scalar()

    def object(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        self.pos += 1
        while True:
            if not self.skip_space():
                return result
            if self.text[self.pos] == "}":
                self.pos += 1
                return result
            if self.text[self.pos] != '"':
                raise self.error("a key")
            try:
                key = self.string()
            except _Incomplete:
                return result
            if not self.skip_space():
                return result
            if self.text[self.pos] != ":":
                raise self.error("':'")
            self.pos += 1
            try:
                result[key] = self.value()
            except _Incomplete:
                return result
            if not self.skip_space():
                return result
            char = self.text[self.pos]
            self.pos += 1
            if char == "}":
                return result
            if char != ",":
                raise self.error("',' or '}'")

    def array(self) -> list[Any]:
        result: list[Any] = []
        self.pos += 1
        while True:
            if not self.skip_space():
                return result
            if self.text[self.pos] == "]":
                self.pos += 1
                return result
            try:
                result.append(self.value())
            except _Incomplete:
                return result
            if not self.skip_space():
                return result
            char = self.text[self.pos]
            self.pos += 1
            if char == "]":
                return result
            if char != ",":
                raise self.error("',' or ']'")

    def string(self) -> str:
        match = _STRING.match(self.text, self.pos)
        if match is None:
            if _STRING_PREFIX.match(self.text, self.pos):
                raise self.incomplete()
            raise self.error("a valid string")
        self.pos = match.end()
        return json.loads(match.group())

    def scalar(self) -> Any:
        rest = self.text[self.pos : self.pos + 9]
        for words in (_LITERALS, _NONFINITE):
            for word, value in words.items():
                if rest.startswith(word):
                    self.pos += len(word)
                    return value
                if word.startswith(rest) and self.pos + len(rest) == len(self.text):
                    raise self.incomplete()
        run = _NUMBER_CHARS.match(self.text, self.pos)
        if run is None:
            raise self.error("a value")
        number = _NUMBER.fullmatch(run.group())
        if number is None:
            if run.end() == len(self.text):
                raise self.incomplete()
            raise self.error("a valid number")
        self.pos = run.end()
        return json.loads(number.group())
